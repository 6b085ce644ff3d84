"""Engine options per backend (app/config.py)."""
from app import config


def test_it_pings_pooled_postgresql_connections_before_use(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://sinergi@db.example/sinergi")
    assert config.from_environment(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_it_does_not_ping_a_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.from_environment(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": False}
