"""Sinergi: a collaborative planning workspace for Pentahelix partnerships."""
import logging
from pathlib import Path

from flask import Flask

from app import config
from app.extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config.Defaults)
    app.config.update(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.logger.handlers or app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)

    from app import database, i18n, security

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"

    from app import models  # noqa: F401  (registers every table with the metadata)
    from app.accounts.routes import bp as accounts_bp
    from app.drafts.routes import bp as drafts_bp
    from app.actions.routes import bp as actions_bp
    from app.errors import init_app as init_errors
    from app.main.routes import bp as main_bp
    from app.meetings.routes import bp as meetings_bp
    from app.organisations.routes import bp as organisations_bp
    from app.programmes.routes import bp as programmes_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(drafts_bp)
    app.register_blueprint(actions_bp)
    init_errors(app)

    from app.collab import setup as collab

    collab.init_app(app)  # comments, attachments, notifications, activity, search, live updates

    from app import cli, templating

    templating.init_app(app)
    cli.init_app(app)

    from app import pagecache

    pagecache.init_app(app)  # last: its before-commit hook must follow every other one
    return app
