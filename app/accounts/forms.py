from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.forms import choices, no_control_characters, strip
from app.i18n import TIMEZONES
from app.pentahelix import ELEMENT_LABELS

PASSWORD_RULES = [DataRequired(), Length(min=8, max=128, message=_l("Password must be 8 to 128 characters."))]
NEW_ORGANISATION = 0


def organisation_choices(organisations):
    return choices(
        [(NEW_ORGANISATION, _l("— My organisation is not listed —"))]
        + [(o.id, f"{o.name} ({o.element.label})") for o in organisations]
    )



class RegisterForm(FlaskForm):
    name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=120), no_control_characters],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)], render_kw={"autocomplete": "email"}
    )
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat password"), validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    new_organisation_name = StringField(
        _l("New organisation name"), filters=[strip], validators=[Optional(), Length(max=200), no_control_characters]
    )
    new_organisation_element = SelectField(
        _l("Pentahelix element of the new organisation"),
        choices=choices([("", "—")] + [(e.value, label) for e, label in ELEMENT_LABELS.items()]),
        validators=[Optional()],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.organisation_id.data == NEW_ORGANISATION:
            if not self.new_organisation_name.data:
                self.new_organisation_name.errors.append(_l("Choose an organisation or name a new one."))
                ok = False
            if not self.new_organisation_element.data:
                self.new_organisation_element.errors.append(_l("Choose the element of the new organisation."))
                ok = False
        return ok


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"), filters=[strip], validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Remember me"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=120), no_control_characters])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    locale = SelectField(_l("Language"), choices=choices([("id", "Bahasa Indonesia"), ("en", "English")]))
    timezone = SelectField(_l("Time zone"), choices=choices((tz, f"{abbr} ({tz})") for tz, abbr in TIMEZONES.items()))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat new password"), validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat new password"), validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
