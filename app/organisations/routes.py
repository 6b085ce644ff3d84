from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.organisations import service
from app.organisations.forms import OrganisationForm
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.permissions import can
from app.web import redirect_to, render_page

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


def get_organisation_for(user, organisation_id: int, write: bool = False) -> Organisation:
    """The directory is open to everyone; editing is for the organisation's own people (403 otherwise)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    if write and not can(user, "organisation.edit", organisation):
        abort(403)
    return organisation


@bp.get("/")
def index():
    try:
        element = Element(request.args["element"]) if request.args.get("element") else None
    except ValueError:
        abort(400)
    return render_page("organisations/index.html", block="list", rows=service.directory(element), element=element)


@bp.get("/<int:organisation_id>")
def show(organisation_id):
    organisation = get_organisation_for(current_user, organisation_id)
    return render_page("organisations/show.html", organisation=organisation, people=service.people(organisation))


def _fields(form):
    return {
        "name": form.name.data,
        "short_name": form.short_name.data or None,
        "element": Element(form.element.data),
        "website": form.website.data or None,
        "description": form.description.data or "",
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = service.save(None, **_fields(form))
        except service.DuplicateName:
            form.name.errors.append(_("An organisation with this name already exists."))
        else:
            flash(_("Organisation added."), "success")
            return redirect_to(url_for("organisations.show", organisation_id=organisation.id))
    return render_page("organisations/form.html", block="form", form=form, organisation=None, status=422 if form.errors else 200)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id):
    organisation = get_organisation_for(current_user, organisation_id, write=True)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            service.save(organisation, **_fields(form))
        except service.DuplicateName:
            db.session.rollback()
            form.name.errors.append(_("An organisation with this name already exists."))
        else:
            flash(_("Organisation saved."), "success")
            return redirect_to(url_for("organisations.show", organisation_id=organisation.id))
    return render_page(
        "organisations/form.html", block="form", form=form, organisation=organisation, status=422 if form.errors else 200
    )
