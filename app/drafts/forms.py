from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.drafts.models import Disposition, DraftKind, UnitKind
from app.forms import choices, no_control_characters, strip
from app.pentahelix import Element

MAX_UNIT_TEXT = 20_000


class DraftForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=300), no_control_characters],
                        description=_l("What the regulation is about, e.g. “Penyelenggaraan Wisata Kota Industri”."))
    kind = SelectField(_l("Kind"), choices=choices((k.value, k.label) for k in DraftKind), default=DraftKind.RAPERDA.value)
    region = StringField(_l("Region"), filters=[strip], validators=[Optional(), Length(max=120), no_control_characters],
                         description=_l("As written in the regulation, e.g. “Kota Bontang”."))


class ImportForm(DraftForm):
    text = TextAreaField(_l("Regulation text"), validators=[DataRequired(), Length(max=500_000)],
                         description=_l("Plain text or Markdown with “BAB I”, “Pasal 1”, “(1)” and “a.” markers."))


class UnitForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[Length(max=MAX_UNIT_TEXT)])
    base_revision_id = IntegerField(validators=[DataRequired()])
    note = StringField(_l("Note (optional)"), filters=[strip], validators=[Optional(), Length(max=300)])
    # Set when the editor resolves the conflict of accepting a suggestion: saving accepts it.
    suggestion_id = IntegerField(validators=[Optional()])


class AddUnitForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices((k.value, k.label) for k in UnitKind))
    parent_id = IntegerField(validators=[Optional()])
    after_id = IntegerField(validators=[Optional()])
    text = TextAreaField(_l("Text"), validators=[Optional(), Length(max=MAX_UNIT_TEXT)])


class MoveForm(FlaskForm):
    direction = SelectField(choices=choices((("up", _l("Up")), ("down", _l("Down")), ("into", _l("Into")))))
    parent_id = IntegerField(validators=[Optional()])


class VersionForm(FlaskForm):
    name = StringField(_l("Version name"), filters=[strip], validators=[DataRequired(), Length(max=200)],
                       description=_l("For example “Versi untuk RDP 12 Mei”."))


class StatusForm(FlaskForm):
    to = SelectField(_l("New status"), choices=[])
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=1000)])


class SuggestionForm(FlaskForm):
    text = TextAreaField(_l("Proposed text"), validators=[DataRequired(), Length(max=MAX_UNIT_TEXT)])
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=5000)])
    source_label = HiddenField(filters=[strip], validators=[Optional(), Length(max=300)])
    source_url = HiddenField(filters=[strip], validators=[Optional(), Length(max=500)])


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[Optional(), Length(max=5000)])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=5000)])


class InputForm(FlaskForm):
    text = TextAreaField(_l("Input"), filters=[strip], validators=[DataRequired(), Length(max=10_000)])
    unit_id = IntegerField(validators=[Optional()])
    author_name = StringField(_l("Heard from (when recording someone else's input)"), filters=[strip],
                              validators=[Optional(), Length(max=200), no_control_characters])
    element = SelectField(_l("Their element"), choices=choices([("", "—")] + [(e.value, e.label) for e in Element]),
                          validators=[Optional()])


class DispositionForm(FlaskForm):
    disposition = SelectField(_l("Disposition"), choices=choices((d.value, d.label) for d in Disposition))
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=5000)])


class AddressedForm(FlaskForm):
    """"Ditangani di versi N": a named version of the draft, or none to clear the mark."""

    version_id = IntegerField(validators=[Optional()])
