"""Error pages in the viewer's language. Never a traceback; never a half-written change."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.web import is_htmx, render_page

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Not found"), _l("The page you are looking for does not exist, or you do not have access to it.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("What you sent is larger than the allowed limit.")),
    429: (_l("Too many attempts"), _l("Too many requests in a short time. Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved; please try again.")),
    503: (_l("Service unavailable"), _l("The database cannot be reached right now. Please try again in a moment.")),
}


def error_response(code: int, detail=None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    response = render_page(
        "errors/error.html", block="content", status=code, code=code, title=title, message=detail or message
    )
    if is_htmx():
        # htmx swaps error pages into the main area (see the responseHandling in base.html).
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        return error_response(400, _l("Your form has expired or is missing its security token. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(error):
        db.session.rollback()
        if error.code in MESSAGES:
            detail = getattr(error, "sinergi_message", None)
            response = error_response(error.code, detail)
            if error.code == 405 and getattr(error, "valid_methods", None):
                response.headers["Allow"] = ", ".join(error.valid_methods)
            return response
        return error

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database(error):
        app.logger.error("database error on %s %s: %s", request.method, request.path, error.__class__.__name__)
        _safe_rollback()
        return error_response(503)

    @app.errorhandler(InternalServerError)
    def _internal(error):
        _safe_rollback()
        return error_response(500)


def _safe_rollback():
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the pool will replace it
        db.session.remove()
