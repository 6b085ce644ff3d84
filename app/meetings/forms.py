from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import choices, no_control_characters, strip
from app.meetings.models import ZONES, DecisionKind, MeetingKind, Presence, Rsvp, Verdict
from app.pentahelix import Element


def zone_choices():
    return choices((zone, f"{label} ({zone})") for zone, label in ZONES.items())


def optional_int(value):
    """'' from an empty select becomes None, a number its int. Anything else stays text, which
    matches no choice: the select's own choice check then refuses it (so does an id of another
    programme's roadshow or template, which is not among the choices)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200), no_control_characters])
    kind = SelectField(_l("Type"), choices=choices((k.value, k.label) for k in MeetingKind), default=MeetingKind.RAKOR.value)
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts"), validators=[InputRequired()])
    end = TimeField(_l("Ends"), validators=[InputRequired()])
    timezone = SelectField(_l("Time zone"), choices=zone_choices(), default="Asia/Makassar",
                           description=_l("The zone of the place where the meeting happens."))
    place = StringField(_l("Place"), filters=[strip], validators=[Optional(), Length(max=300), no_control_characters])
    online_url = URLField(_l("Online meeting link"), filters=[strip],
                          validators=[Optional(), URL(require_tld=False), Length(max=500)])
    organiser_id = SelectField(_l("Organising organisation"), coerce=optional_int)
    roadshow_id = SelectField(_l("Part of roadshow"), coerce=optional_int)
    description = TextAreaField(_l("Description"), description=_l("Markdown is supported."),
                                validators=[Optional(), Length(max=20000)])
    template_id = SelectField(_l("Start the agenda from a template"), coerce=optional_int)
    follow_up = BooleanField(_l("Begin with the follow-up of earlier meetings (open actions)"), default=True)

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def set_choices(self, organisations, roadshows, templates=()):
        none = SelectChoice("", _l("— none —"))
        self.organiser_id.choices = [none] + choices((o.id, o.name) for o in organisations)
        self.roadshow_id.choices = [none] + choices((r.id, r.title) for r in roadshows)
        self.template_id.choices = [none] + choices((t.id, t.name) for t in templates)


class RoadshowForm(FlaskForm):
    title = StringField(_l("Roadshow name"), filters=[strip], validators=[DataRequired(), Length(max=200), no_control_characters])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class InviteForm(FlaskForm):
    target = SelectField(_l("Invite"), validators=[DataRequired()], validate_choice=True)

    def set_choices(self, members, organisations):
        people = [SelectChoice(f"u:{m.user.id}", m.user.name, optgroup=str(_l("People"))) for m in members]
        orgs = [SelectChoice(f"o:{o.id}", o.name, optgroup=str(_l("Whole organisation"))) for o in organisations]
        elements = [SelectChoice(f"e:{e.value}", e.label, optgroup=str(_l("Whole Pentahelix element"))) for e in Element]
        self.target.choices = people + orgs + elements


class RsvpForm(FlaskForm):
    response = SelectField(_l("Your answer"), choices=choices((r.value, r.label) for r in Rsvp))


class AttendanceForm(FlaskForm):
    """A member (user_id) or a guest without an account (guest_name + organisation or element)."""

    user_id = HiddenField()
    guest_name = StringField(_l("Guest name"), filters=[strip], validators=[Optional(), Length(max=120), no_control_characters])
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int)
    guest_element = SelectField(_l("Element"), choices=[SelectChoice("", _l("— from the organisation —"))]
                                + choices((e.value, e.label) for e in Element), validators=[Optional()])
    presence = SelectField(_l("Attendance"), choices=choices((p.value, p.label) for p in Presence),
                           default=Presence.PRESENT.value)
    represented_by = StringField(_l("Represented by"), filters=[strip],
                                 validators=[Optional(), Length(max=120), no_control_characters])
    contact = StringField(_l("Contact (phone or email)"), filters=[strip],
                          validators=[Optional(), Length(max=200), no_control_characters])

    def validate(self, extra_validators=None):
        # A form-level check: Optional() on guest_name stops its own validators when it is empty.
        valid = super().validate(extra_validators)
        if not self.user_id.data:
            if not self.guest_name.data:
                self.guest_name.errors.append(_l("Enter the guest's name."))
                valid = False
            elif not self.organisation_id.data and not self.guest_element.data:
                self.guest_name.errors.append(_l("Choose the guest's organisation or element."))
                valid = False
        return valid

    def set_choices(self, organisations):
        self.organisation_id.choices = [SelectChoice("", _l("— none —"))] + choices((o.id, o.name) for o in organisations)


class AgendaItemForm(FlaskForm):
    base_version = HiddenField()
    title = StringField(_l("Agenda item"), filters=[strip], validators=[DataRequired(), Length(max=300), no_control_characters])
    presenter = StringField(_l("Presenter"), filters=[strip], validators=[Optional(), Length(max=200), no_control_characters])
    planned_minutes = IntegerField(_l("Planned minutes"), default=15,
                                   validators=[Optional(), NumberRange(min=0, max=600)])
    description = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)])
    link_url = StringField(_l("Link to a draft or Pasal"), filters=[strip],
                           validators=[Optional(), Length(max=500)],
                           description=_l("An address in Sinergi, e.g. /p/…/drafts/… or a Pasal."))
    link_label = StringField(_l("Link label"), filters=[strip], validators=[Optional(), Length(max=200), no_control_characters])
    confidential = BooleanField(_l("Confidential (left out of shared exports)"))

    def validate_link_url(self, field):
        value = field.data or ""
        # Only our own pages or web addresses: no javascript: or data: links.
        if value and not (value.startswith("/") or value.startswith("https://") or value.startswith("http://")):
            raise ValidationError(_l("Use an address starting with / or https://."))

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "presenter": self.presenter.data or "",
            "planned_minutes": self.planned_minutes.data or 0,
            "link_url": self.link_url.data or "",
            "link_label": self.link_label.data or "",
            "confidential": bool(self.confidential.data),
        }


class MinutesForm(FlaskForm):
    base_rev = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    text = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=100000)])
    reason = StringField(_l("Reason for the correction"), filters=[strip],
                         validators=[Optional(), Length(max=500), no_control_characters])


class DecisionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices((k.value, k.label) for k in DecisionKind),
                       default=DecisionKind.AGREEMENT.value)
    text = TextAreaField(_l("Decision"), filters=[strip], validators=[DataRequired(), Length(max=5000)])
    organisation_id = SelectField(_l("Responsible organisation"), coerce=optional_int)
    due_on = DateField(_l("Due date"), validators=[Optional()])
    unit_id = SelectField(_l("About a Pasal of a draft"), coerce=optional_int,
                          description=_l("From the decision, one step opens a suggested amendment on that Pasal."))

    def set_choices(self, organisations, units=()):
        """`units`: the Pasal a decision may point at (app/meetings/drafting.py unit_choices)."""
        self.organisation_id.choices = [SelectChoice("", _l("— none —"))] + choices((o.id, o.name) for o in organisations)
        self.unit_id.choices = list(units) or [SelectChoice("", _l("— none —"))]


class ConfirmationForm(FlaskForm):
    verdict = SelectField(_l("The minutes are"), choices=choices((v.value, v.label) for v in Verdict))
    note = TextAreaField(_l("Note (required for an objection)"), validators=[Optional(), Length(max=2000)])


class TemplateForm(FlaskForm):
    name = StringField(_l("Template name"), filters=[strip], validators=[DataRequired(), Length(max=200), no_control_characters])


class ExportForm(FlaskForm):
    """GET options of the notulen export (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    contacts = BooleanField(_l("Include attendees' contacts"))
    confidential = BooleanField(_l("Include confidential items"))
