from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.actions.models import PRIORITY_LABELS, STATUS_LABELS, Priority, Status
from app.forms import no_control_characters, strip

STATUS_CHOICES = [SelectChoice(s.value, STATUS_LABELS[s]) for s in Status]
PRIORITY_CHOICES = [SelectChoice(p.value, PRIORITY_LABELS[p]) for p in Priority]


def _optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ActionForm(FlaskForm):
    """Create and edit. Choices of assignee, organisation and parent are filled by the route."""

    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200), no_control_characters])
    description = TextAreaField(
        _l("Description"), description=_l("Markdown is supported."), validators=[Optional(), Length(max=20000)]
    )
    assignee = SelectField(_l("Assignee"), coerce=_optional_int, validate_choice=True)
    organisation = SelectField(
        _l("Responsible organisation"), coerce=_optional_int,
        description=_l("Left empty, the assignee's organisation is responsible."),
    )
    due_date = DateField(_l("Due date"), validators=[Optional()])
    priority = SelectField(_l("Priority"), choices=PRIORITY_CHOICES, default=Priority.NORMAL.value)
    labels = StringField(
        _l("Labels"), filters=[strip], description=_l("Separate labels with commas."),
        validators=[Optional(), Length(max=400), no_control_characters],
    )
    parent = IntegerField(
        _l("Sub-action of (action number)"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
        description=_l("Its progress then counts towards that action's progress."),
    )
    weight = IntegerField(
        _l("Weight in the parent's progress"), default=1,
        validators=[DataRequired(), NumberRange(min=1, max=100, message=_l("Between 1 and 100."))],
    )
    blocked_by = StringField(
        _l("Blocked by (action numbers)"), filters=[strip], description=_l("For example: 12, 15"),
        validators=[Optional(), Length(max=200)],
    )
    # Where the action came from (filled from a meeting decision or a draft, never typed by hand).
    source_kind = HiddenField()
    source_id = HiddenField()
    source_label = HiddenField()
    meeting_id = HiddenField()
    meeting_label = HiddenField()

    def blocked_by_ids(self) -> list[int] | None:
        """The numbers typed, or None (with a field error) when one is not a number."""
        text = (self.blocked_by.data or "").replace("#", "")
        ids = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or len(part) > 9:
                self.blocked_by.errors = list(self.blocked_by.errors) + [_l("Write action numbers separated by commas.")]
                return None
            ids.append(int(part))
        return ids


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    note = TextAreaField(
        _l("Note"), filters=[strip], description=_l("Required when blocked, and when reopening a finished action."),
        validators=[Optional(), Length(max=2000)],
    )


class ProgressForm(FlaskForm):
    progress = IntegerField(
        _l("Progress (%)"), validators=[InputRequired(message=_l("Enter a percentage.")),
                                        NumberRange(min=0, max=100, message=_l("Between 0 and 100."))]
    )
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=500)])


class ChecklistItemForm(FlaskForm):
    text = StringField(_l("New checklist item"), filters=[strip],
                       validators=[DataRequired(), Length(max=300), no_control_characters])


class BulkForm(FlaskForm):
    status = SelectField(_l("Set status"), choices=[SelectChoice("", _l("— keep —"))] + STATUS_CHOICES, default="")
    assignee = SelectField(_l("Set assignee"), default="")
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=500)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))
    csv_text = HiddenField()
