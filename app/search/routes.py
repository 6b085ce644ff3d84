from flask import Blueprint, request
from flask_login import current_user, login_required

from app.search import service
from app.web import render_page

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def index():
    query = (request.args.get("q") or "").strip()[:200]
    groups = service.search(current_user, query) if query else []
    return render_page("search/index.html", block="results", query=query, groups=groups, searched=bool(service.terms(query)))
