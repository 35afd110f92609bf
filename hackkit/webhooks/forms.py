"""The webhook form. It collects input; services.webhooks checks it (address included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

EVENT_LABELS = {
    "team.created": _l("A team is created"),
    "submission.submitted": _l("A project is submitted (the first time)"),
    "announcement.published": _l("An announcement is posted"),
    "results.published": _l("The results are published"),
}
FORMAT_LABELS = {
    "json": _l("JSON, signed (for your own receiver)"),
    "slack": _l("Chat message (Slack, Mattermost)"),
}
LANGUAGE_LABELS = {"nl": "Nederlands", "en": "English"}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WebhookForm(FlaskForm):
    url = StringField(
        _l("Address (URL)"),
        description=_l("The receiver's http:// or https:// address, e.g. a Mattermost or Slack incoming webhook."),
    )
    events = CheckboxesField(_l("Happenings"), choices=_choices(EVENT_LABELS), validate_choice=False)
    format = RadioField(_l("Format"), choices=_choices(FORMAT_LABELS), default="json", validate_choice=False)
    language = SelectField(_l("Language of chat messages"), choices=_choices(LANGUAGE_LABELS), validate_choice=False)
    active = BooleanField(_l("Active (send new happenings)"), default=True)

    def fill_from(self, webhook) -> None:
        for name in ("url", "events", "format", "language", "active"):
            getattr(self, name).data = getattr(webhook, name)

    def values(self) -> dict:
        return {
            "url": self.url.data or "",
            "events": list(self.events.data or []),
            "format": self.format.data or "json",
            "language": self.language.data or "en",
            "active": bool(self.active.data),
        }
