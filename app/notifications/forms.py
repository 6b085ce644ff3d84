from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

from app.notifications.models import Delivery


class PreferencesForm(FlaskForm):
    delivery = RadioField(_l("How do you want to hear about things?"), choices=[(d.value, d.label) for d in Delivery])
