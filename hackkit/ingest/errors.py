"""The one failure the importer reports, and the messages it writes, translatable later.

The importer is plain Python (no Flask), so it cannot translate. It writes each message as
an English template marked with N_ plus its values; str() gives the English line (the CLI
and logs), and the web layer passes `message_id` and `params` to Flask-Babel for the
organizer's language (hackkit/i18n.py: importer_message). `pybabel extract -k N_` collects them.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the usual name of a gettext no-op marker
    """Mark an importer message for translation; it is translated where it is shown."""
    return message


class Message:
    """An English template with %(name)s values: `str()` is the English text."""

    def __init__(self, message_id: str, **params: Any):
        self.message_id = message_id
        self.params = params

    def __str__(self) -> str:
        return self.message_id % self.params if self.params else self.message_id

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.message_id, "params": self.params}


class IngestError(Exception):
    """The file cannot be imported. `str(error)` is one clear line for the organizer."""

    def __init__(self, message_id: str, **params: Any):
        self.message = Message(message_id, **params)
        super().__init__(str(self.message))

    @property
    def message_id(self) -> str:
        return self.message.message_id

    @property
    def params(self) -> dict[str, Any]:
        return self.message.params


class BadValue(ValueError):
    """A value that does not fit its column's (overridden) type."""

    def __init__(self, message_id: str, **params: Any):
        self.message = Message(message_id, **params)
        super().__init__(str(self.message))
