"""Comments in the programme export (app/backup): the stored HTML does not travel, it is rendered
again from the text on import; HTML that comes in anyway (a hand-made file) is sanitised again
before anyone can be shown it."""
from app.backup.service import SKIPPED_COLUMNS, register_embedded
from app.comments.mentions import sanitise_rendered

SKIPPED_COLUMNS.setdefault("comments", set()).update({"body_html", "html_renderer"})
register_embedded("comments", "body_html", lambda value, lookup: str(sanitise_rendered(value)) if value else value)
