"""The floors: what the framework alone costs on this machine, served like the app.

GET /floor: bare Flask + SQLAlchemy + Jinja rendering a 50-row table from the same database.
POST /commit: a bare single-row SQLite commit (one INSERT, one COMMIT) into a file of its own,
with the app's SQLite settings (WAL, busy timeout, synchronous=NORMAL, BEGIN IMMEDIATE).

Our pages and writes are reported as a ratio to these, so the figures hold on a noisy machine.
Run: DATABASE_URL=... BARE_DATABASE_URL=sqlite:///... gunicorn -w 2 bench.floor_app:app
"""
import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, event, text

TEMPLATE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Floor</title></head><body>
<table>{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.email }}</td></tr>{% endfor %}</table>
</body></html>"""

url = os.environ["DATABASE_URL"]
if url.startswith("postgresql://"):
    url = "postgresql+psycopg://" + url[len("postgresql://"):]
engine = create_engine(url)
app = Flask(__name__)


@app.get("/floor")
def floor():
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, name, email FROM users ORDER BY id LIMIT 50")).mappings().all()
    return render_template_string(TEMPLATE, rows=rows)


bare_url = os.environ.get("BARE_DATABASE_URL")
bare = create_engine(bare_url) if bare_url else None
if bare is not None:

    @event.listens_for(bare, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None  # app/database.py does the same
        for pragma in ("journal_mode=WAL", "busy_timeout=15000", "synchronous=NORMAL"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(bare, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    with bare.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bare (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)"))


@app.post("/commit")
def commit():
    with bare.begin() as conn:
        conn.execute(text("INSERT INTO bare (body, at) VALUES (:body, datetime('now'))"), {"body": "x" * 100})
    return "ok"
