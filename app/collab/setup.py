"""Wires the collaboration layer into the app: blueprints, session hooks, built-in targets,
template helpers and CLI commands. create_app() calls init_app() once."""
import click
from flask_login import current_user

from app.collab import builtin, domains, hooks
from app.collab.targets import target_of


def init_app(app) -> None:
    from app.activity.routes import bp as activity_bp
    from app.attachments.routes import bp as attachments_bp
    from app.attachments.service import human_size
    from app.comments import mentions
    from app.comments.routes import bp as comments_bp
    from app.notifications.routes import bp as notifications_bp
    from app.search.routes import bp as search_bp

    hooks.install()
    builtin.register()
    domains.register()
    domains.connect_signals()
    for bp in (comments_bp, attachments_bp, notifications_bp, activity_bp, search_bp):
        app.register_blueprint(bp)

    app.jinja_env.filters["comment_markdown"] = mentions.render
    app.jinja_env.filters["filesize"] = human_size
    app.jinja_env.globals.update(
        discussion_for=_discussion_for,
        attachments_for=_attachments_for,
        unread_notifications=_unread_notifications,
        comment_counts=_comment_counts,
    )

    @app.cli.command("send-digests")
    def send_digests():
        """Mail the daily digest to everyone who chose it (run once a day, e.g. from cron)."""
        from app.notifications.service import send_digests as run

        click.echo(f"Digests sent: {run()}")

    @app.cli.command("search-reindex")
    def search_reindex():
        """Rebuild the search index from every searchable model."""
        from app.search.service import reindex_all

        click.echo(f"Documents indexed: {reindex_all()}")


def _discussion_for(obj):
    """For templates: the discussion of any registered object, as the page shows it (its latest threads)."""
    from app.comments.routes import page_discussion

    return page_discussion(obj)


def _attachments_for(obj):
    from app.attachments.service import for_targets

    target = target_of(obj)
    return target, for_targets(target.type, [target.id]).get(target.id, [])


def _comment_counts(target_type: str, objects) -> dict[int, int]:
    """For templates: visible comments per object of one type (e.g. a meeting's agenda items), in one grouped query.
    `objects` may also be plain ids (e.g. the units of a named version's snapshot)."""
    from sqlalchemy import func, select

    from app.comments.models import Comment
    from app.extensions import db

    ids = [o if isinstance(o, int) else o.id for o in objects]
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Comment.target_id, func.count())
        .where(Comment.target_type == target_type, Comment.target_id.in_(ids),
               Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(Comment.target_id)
    ).all())


def _unread_notifications() -> int:
    from app.notifications.service import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0
