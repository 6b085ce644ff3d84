from flask import Blueprint, request
from flask_login import current_user

from app.activity import service
from app.pentahelix import Element
from app.programmes.routes import get_programme_for
from app.web import render_page

bp = Blueprint("activity", __name__)


@bp.get("/p/<slug>/activity")
def index(slug):
    programme = get_programme_for(current_user, slug, "activity.view")
    kind = request.args.get("kind") or None
    try:
        element = Element(request.args["element"]) if request.args.get("element") else None
    except ValueError:
        element = None
    return render_page(
        "activity/index.html", block="feed", programme=programme,
        entries=service.feed(programme, kind=kind, element=element), kinds=service.kinds_in(programme),
        kind=kind, element=element, verb_label=service.verb_label, kind_labels=service.KIND_LABELS,
    )
