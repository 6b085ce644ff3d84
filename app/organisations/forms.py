from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, URL

from app.forms import choices, no_control_characters, strip
from app.pentahelix import ELEMENT_LABELS


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=200), no_control_characters])
    short_name = StringField(_l("Short name"), filters=[strip], validators=[Optional(), Length(max=60), no_control_characters])
    element = SelectField(
        _l("Pentahelix element"), choices=choices((e.value, label) for e, label in ELEMENT_LABELS.items()), validators=[DataRequired()]
    )
    website = URLField(
        _l("Website"), filters=[strip], validators=[Optional(), URL(message=_l("Enter a full address starting with https://")), Length(max=300)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
