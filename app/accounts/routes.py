from flask import Blueprint, current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.accounts import service
from app.accounts.forms import (
    NEW_ORGANISATION,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    organisation_choices,
)
from app.accounts.models import User
from app.extensions import db, limiter, login_manager
from app.forms import choices
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.web import current_page_path, is_safe_path, redirect_to, render_page

bp = Blueprint("accounts", __name__)


def parse_user_id(user_id) -> tuple[int, int] | None:
    """(user id, session version) from what the session holds (User.get_id), or None."""
    head, _, version = user_id.partition(":") if isinstance(user_id, str) else ("", "", "")
    if not (head.isdigit() and version.isdigit()):
        return None
    return int(head), int(version)


@login_manager.user_loader
def load_user(user_id: str):
    parsed = parse_user_id(user_id)
    if parsed is None:
        return None
    uid, version = parsed
    user = db.session.get(User, uid)
    if user is None or user.session_version != version:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Please sign in to continue."), "info")
    # After a POST (a comment sent with an expired login) come back to the page it was sent from:
    # the text is still in the browser there (static/js/drafts.js), ready to send again.
    return redirect_to(url_for("accounts.login", next=request.full_path if request.method == "GET" else current_page_path()))


def _organisations():
    return db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()


def _safe_next(target: str | None) -> str:
    if is_safe_path(target):
        return target
    return url_for("main.index")


def _start_session(user: User, remember: bool) -> None:
    # A fresh session at login: whatever an attacker planted before it is gone (session fixation).
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect_to(url_for("main.index"))
    form = RegisterForm()
    form.organisation_id.choices = organisation_choices(_organisations())
    if form.validate_on_submit():
        if form.organisation_id.data == NEW_ORGANISATION:
            organisation = service.find_or_create_organisation(
                form.new_organisation_name.data, Element(form.new_organisation_element.data)
            )
        else:
            organisation = db.session.get(Organisation, form.organisation_id.data)
        try:
            user = service.register(
                form.name.data, form.email.data, form.password.data, organisation, locale=session.get("lang", "id")
            )
        except service.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("An account with this email already exists."))
        else:
            _start_session(user, remember=False)
            flash(_("Welcome to Sinergi, %(name)s!", name=user.name), "success")
            return redirect_to(_safe_next(request.args.get("next")))
    return render_page("accounts/register.html", block="form", form=form, status=422 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect_to(_safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user:
            _start_session(user, remember=form.remember.data)
            flash(_("Signed in."), "success")
            return redirect_to(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong email or password."))
    if form.errors:
        status = 422
    return render_page("accounts/login.html", block="form", form=form, status=status)


@bp.post("/logout")
def logout():
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Signed out."), "info")
    return redirect_to(url_for("main.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    form.organisation_id.choices = choices((o.id, f"{o.name} ({o.element.label})") for o in _organisations())
    if form.validate_on_submit():
        service.update_profile(
            current_user,
            form.name.data,
            db.session.get(Organisation, form.organisation_id.data),
            form.locale.data,
            form.timezone.data,
        )
        session["lang"] = form.locale.data
        flash(_("Profile saved."), "success")
        return redirect_to(url_for("accounts.profile"))
    return render_page("accounts/profile.html", block="form", form=form, status=422 if form.errors else 200)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Your current password is not correct."))
        else:
            service.change_password(current_user, form.password.data)
            # Re-issue the session under the new session version (the real object, not the proxy).
            login_user(current_user._get_current_object())
            flash(_("Password changed. Other sessions have been signed out."), "success")
            return redirect_to(url_for("accounts.profile"))
    return render_page("accounts/password.html", block="form", form=form, status=422 if form.errors else 200)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        service.send_reset_mail(form.email.data)
        flash(_("If an account exists for that address, we have sent a link to reset the password."), "info")
        return redirect_to(url_for("accounts.login"))
    return render_page("accounts/reset_request.html", block="form", form=form, status=422 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
def reset_password(token):
    user = service.user_from_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid or has expired. Ask for a new one."), "error")
        return redirect_to(url_for("accounts.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        service.change_password(user, form.password.data)
        flash(_("Your password has been changed. You can sign in now."), "success")
        return redirect_to(url_for("accounts.login"))
    return render_page("accounts/reset_password.html", block="form", form=form, status=422 if form.errors else 200)
