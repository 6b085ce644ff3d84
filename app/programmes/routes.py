from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.permissions import membership_in, require
from app.programmes import service
from app.programmes.forms import ConfirmForm, EmailInvitationForm, LinkInvitationForm, ProgrammeForm, RoleForm
from app.programmes.models import Invitation, Membership, Programme, Role, Visibility
from app.web import redirect_to, render_page

bp = Blueprint("programmes", __name__)


def get_programme_for(user, slug: str, action: str = "programme.view") -> Programme:
    """Load a programme by slug and check `action`: 404 if the user may not see it, 403 if they may not act."""
    programme = service.get_by_slug(slug, viewer=user)
    if programme is None:
        abort(404)
    require(user, action, programme)
    return programme


def _membership_in(programme: Programme, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    # An id from another programme is simply not found here.
    if membership is None or membership.programme_id != programme.id:
        abort(404)
    return membership


@bp.route("/p/new", methods=["GET", "POST"])
@login_required
def new():
    form = ProgrammeForm()
    if form.validate_on_submit():
        programme = service.create(current_user, form.name.data, form.description.data, Visibility(form.visibility.data))
        flash(_("Programme created. Invite the other Pentahelix partners."), "success")
        return redirect_to(url_for("programmes.show", slug=programme.slug))
    return render_page("programmes/new.html", block="form", form=form, status=422 if form.errors else 200)


@bp.get("/p/<slug>/")
def show(slug):
    programme = get_programme_for(current_user, slug)
    return render_page(
        "programmes/show.html",
        block="coverage" if request.args.get("fragment") == "coverage" else None,
        programme=programme,
        coverage=service.coverage(programme),
        members=service.members(programme),
        membership=membership_in(current_user, programme),
        leave_form=ConfirmForm(),
    )


@bp.route("/p/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    programme = get_programme_for(current_user, slug, "programme.manage")
    form = ProgrammeForm(obj=programme)
    if form.validate_on_submit():
        service.update(programme, form.name.data, form.description.data, Visibility(form.visibility.data))
        flash(_("Programme settings saved."), "success")
        return redirect_to(url_for("programmes.show", slug=programme.slug))
    return render_page(
        "programmes/settings.html", block="form", programme=programme, form=form, status=422 if form.errors else 200
    )


def _members_page(programme, email_form=None, link_form=None, status=200):
    return render_page(
        "programmes/members.html",
        block="members" if request.method == "POST" else None,
        programme=programme,
        members=service.members(programme),
        invitations=service.invitations(programme),
        email_form=email_form or EmailInvitationForm(formdata=None),
        link_form=link_form or LinkInvitationForm(formdata=None),
        role_form=RoleForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        status=status,
    )


@bp.get("/p/<slug>/members")
def members(slug):
    programme = get_programme_for(current_user, slug)
    return _members_page(programme)


@bp.post("/p/<slug>/invitations/email")
@login_required
def invite_email(slug):
    programme = get_programme_for(current_user, slug, "programme.manage")
    form = EmailInvitationForm()
    if form.validate_on_submit():
        try:
            service.invite_by_email(programme, current_user, form.email.data, Role(form.role.data), days=14)
        except service.MembershipError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect_to(url_for("programmes.members", slug=slug))
    return _members_page(programme, email_form=form, status=422)


@bp.post("/p/<slug>/invitations/link")
@login_required
def invite_link(slug):
    programme = get_programme_for(current_user, slug, "programme.manage")
    form = LinkInvitationForm()
    if form.validate_on_submit():
        service.create_link(programme, current_user, Role(form.role.data), form.days.data)
        flash(_("Invitation link created. Copy it from the list below."), "success")
        return redirect_to(url_for("programmes.members", slug=slug))
    return _members_page(programme, link_form=form, status=422)


@bp.post("/p/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug, invitation_id):
    programme = get_programme_for(current_user, slug, "programme.manage")
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.programme_id != programme.id or not ConfirmForm().validate_on_submit():
        abort(404 if invitation is None or invitation.programme_id != programme.id else 400)
    service.revoke(invitation)
    flash(_("Invitation revoked."), "info")
    return redirect_to(url_for("programmes.members", slug=slug))


@bp.post("/p/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug, membership_id):
    programme = get_programme_for(current_user, slug, "programme.manage")
    membership = _membership_in(programme, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.change_role(membership, Role(form.role.data))
    except service.MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Role of %(name)s changed to %(role)s.", name=membership.user.name, role=membership.role.label), "success")
    return redirect_to(url_for("programmes.members", slug=slug))


@bp.post("/p/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug, membership_id):
    programme = get_programme_for(current_user, slug, "programme.manage")
    membership = _membership_in(programme, membership_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = membership.user.name
    try:
        service.remove(membership)
    except service.MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("%(name)s has been removed from the programme.", name=name), "success")
    return redirect_to(url_for("programmes.members", slug=slug))


@bp.post("/p/<slug>/leave")
@login_required
def leave(slug):
    programme = get_programme_for(current_user, slug, "programme.leave")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.leave(programme, current_user)
    except service.MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect_to(url_for("programmes.show", slug=slug))
    flash(_("You have left %(programme)s.", programme=programme.name), "info")
    return redirect_to(url_for("main.index"))


@bp.route("/join/<token>", methods=["GET", "POST"])
@login_required
def join(token):
    invitation = service.find_invitation(token)
    if invitation is None:
        abort(404)
    form = ConfirmForm()
    error = None
    if not invitation.is_usable():
        error = _("This invitation is no longer valid.")
    elif form.validate_on_submit():
        try:
            service.accept(invitation, current_user)
        except service.MembershipError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("You have joined %(programme)s.", programme=invitation.programme.name), "success")
            return redirect_to(url_for("programmes.show", slug=invitation.programme.slug))
    membership = invitation.programme.membership_of(current_user)
    return render_page(
        "programmes/join.html",
        invitation=invitation,
        form=form,
        error=error,
        membership=membership,
        status=410 if error and not invitation.is_usable() else (422 if error else 200),
    )
