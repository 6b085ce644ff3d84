from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.forms import choices, no_control_characters, strip
from app.programmes.models import ROLE_LABELS, Role, Visibility

ROLE_CHOICES = choices((r.value, ROLE_LABELS[r]) for r in (Role.VIEWER, Role.COMMENTER, Role.EDITOR, Role.OWNER))


class ProgrammeForm(FlaskForm):
    name = StringField(_l("Programme name"), filters=[strip], validators=[DataRequired(), Length(max=200), no_control_characters])
    description = TextAreaField(
        _l("Description"), description=_l("Markdown is supported."), validators=[Optional(), Length(max=20000)]
    )
    visibility = RadioField(
        _l("Visibility"),
        choices=choices((v.value, v.label) for v in Visibility),
        default=Visibility.PRIVATE.value,
        validators=[DataRequired()],
    )


class EmailInvitationForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.COMMENTER.value)


class LinkInvitationForm(FlaskForm):
    # Its own id: the email invitation form on the same page also has a "role" field.
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.VIEWER.value, id="link-role")
    days = IntegerField(
        _l("Valid for (days)"),
        default=14,
        validators=[DataRequired(), NumberRange(min=1, max=90, message=_l("Between 1 and 90 days."))],
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token travels."""
