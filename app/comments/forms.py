from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.comments.service import MAX_LENGTH
from app.forms import strip


def text_characters(form, field):
    """Comments are Markdown: line breaks and tabs are welcome, other control characters are not."""
    if field.data and any(ord(ch) < 32 and ch not in "\n\r\t" for ch in field.data):
        raise ValidationError(_l("This field contains characters that are not allowed."))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), filters=[strip], validators=[DataRequired(_l("Write something first.")), Length(max=MAX_LENGTH), text_characters])
    parent_id = IntegerField(validators=[Optional()])
    files = MultipleFileField(_l("Attach files"))
    draft = HiddenField()  # the browser's draft id, confirmed back once saved (static/js/drafts.js)


class EditForm(FlaskForm):
    body = TextAreaField(_l("Comment"), filters=[strip], validators=[DataRequired(_l("Write something first.")), Length(max=MAX_LENGTH), text_characters])
    draft = HiddenField()


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), filters=[strip], validators=[Length(max=500), text_characters])


class ConfirmForm(FlaskForm):
    pass
