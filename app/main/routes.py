from flask import Blueprint, current_app, jsonify, request, session, url_for
from flask_login import current_user
from sqlalchemy import select, text

from app.accounts import service as accounts
from app.extensions import db, limiter
from app.programmes import service as programmes
from app.web import is_safe_path, redirect_to, render_page

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    mine = programmes.programmes_of(current_user) if current_user.is_authenticated else []
    public = programmes.public_programmes(exclude=[p.id for p in mine])
    return render_page("main/index.html", mine=mine, public=public)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:  # any failure means "not ready"; the detail goes to the log only
        current_app.logger.warning("health check: database unreachable: %s", error.__class__.__name__)
        db.session.remove()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database=database)


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            accounts.set_locale(current_user, lang)
    target = request.form.get("next") or ""
    # Only same-site paths: never an open redirect.
    if not is_safe_path(target):
        target = url_for("main.index")
    return redirect_to(target)
