"""Field helpers shared by every domain's forms."""
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice


def strip(value):
    return value.strip() if isinstance(value, str) else value


def no_control_characters(form, field):
    """Names are shown everywhere: refuse invisible control characters (emoji and HTML are fine, we escape)."""
    if field.data and any(unicodedata.category(ch) == "Cc" for ch in field.data):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 select choices (tuples are deprecated there)."""
    return [SelectChoice(str(value), label) for value, label in pairs]
