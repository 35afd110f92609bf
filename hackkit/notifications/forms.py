"""The organizer's message form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from hackkit.services.event_messages import SEGMENT_LABELS


class MessageForm(FlaskForm):
    segment = RadioField(
        _l("To"),
        choices=list(SEGMENT_LABELS.items()),
        default="registered",
        validators=[DataRequired()],
    )
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Message"),
        description=_l("Plain text. Each person gets it by e-mail with a link to the event page."),
        validators=[DataRequired(), Length(max=10000)],
    )
