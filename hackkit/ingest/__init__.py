"""Reading messy city files into typed tables. Pure Python: no Flask, no database.

`read_table(path, overrides)` guesses encoding, delimiter, header, column types and
geometry, and `Table.chunks()` streams the typed rows. Anything unreadable raises
`IngestError` with one line a person can act on.
"""

from hackkit.ingest.columns import TYPES
from hackkit.ingest.errors import IngestError
from hackkit.ingest.table import Column, Overrides, Table, describe, read_table

__all__ = ["TYPES", "Column", "IngestError", "Overrides", "Table", "describe", "read_table"]
