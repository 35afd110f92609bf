"""The one failure the importer reports: a file it cannot read, with a message a person understands."""

from __future__ import annotations


class IngestError(Exception):
    """The file cannot be imported. `str(error)` is one clear line for the organizer."""
