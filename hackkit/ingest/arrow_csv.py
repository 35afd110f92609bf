"""A delimited file's data records read by pyarrow's CSV reader (C), a block at a time, each
column as an array of strings: the same records `text.iter_records` gives, for the files where
both readers agree.

They agree on every file whose records all have the width of the first one (quoted delimiters,
doubled quotes, quoted line breaks, `"a"b`, stray quotes inside a value, \\r, \\n and \\r\\n
endings). Anything else raises NotPlain and the caller reads the file with the csv module
instead: a ragged record (the csv module pads and reports it by line), a quote left open, bytes
that are not text in the encoding. Blank records (only spaces, or only delimiters) are skipped
as the csv-module reader skips them.

A file that is not UTF-8 is decoded as the csv-module reader decodes it (same codec,
undecodable bytes replaced) and handed over as UTF-8.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from hackkit.ingest import arrow_values

# Bytes parsed at a time (about 5,000 records of a typical city file): 1 MB cost 17 MB more peak
# memory on a 1,000,000-row file for 0.3 s less CPU; pyarrow reads a few blocks ahead.
BLOCK_BYTES = 1 << 19
WIDEST = 1001  # more columns than table.MAX_COLUMNS
UTF8 = {"utf-8", "utf-8-sig", "ascii"}  # codecs whose bytes pyarrow reads as they are


class NotPlain(Exception):
    """This file needs the csv module's reading (see the module's notes)."""


def usable(path: Path | None, delimiter: str | None) -> bool:
    from hackkit.ingest import batch_typing

    return path is not None and delimiter is not None and batch_typing.available()


class _Utf8(io.RawIOBase):
    """The file's text re-encoded as UTF-8, read as the csv-module reader reads it."""

    def __init__(self, path: Path, encoding: str):
        self._raw = path.open("rb")
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._pending) < size):
            chunk = self._raw.read(BLOCK_BYTES)
            self._done = not chunk
            self._pending += self._decoder.decode(chunk, final=self._done).encode("utf-8")
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def close(self) -> None:
        self._raw.close()
        super().close()


def batches(path: Path, encoding: str, delimiter: str, skip: int = 0) -> Iterator[list]:
    """Lists of string arrays (one per column) of the data records, the first `skip`
    non-blank records (title line, header) left out. Raises NotPlain (see the module)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    ragged = []

    def invalid(row) -> str:
        if row.text.strip():
            ragged.append(row.text)
            return "error"
        return "skip"  # a line of spaces: blank, as for the csv module

    codec = codecs.lookup(encoding).name
    handle = path.open("rb") if codec in UTF8 else _Utf8(path, encoding)
    try:
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(
                use_threads=False, block_size=BLOCK_BYTES, autogenerate_column_names=True, encoding="utf8"
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=invalid),
            # Every column as text, empty cells as "" (never null): the csv module's strings.
            # (The width is not known before the first block: every name it could have is typed.)
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys((f"f{i}" for i in range(WIDEST)), pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        handle.close()
        raise NotPlain(str(error)) from error
    try:
        width = len(reader.schema)
        if width >= WIDEST:
            raise NotPlain("too many columns")  # the csv-module reading says so in words
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except (pa.ArrowInvalid, UnicodeDecodeError) as error:
                raise NotPlain(str(error)) from error
            columns = [batch.column(i) for i in range(width)]
            columns = _without_blank(columns)
            if skip and len(columns[0]):
                dropped = min(skip, len(columns[0]))
                columns = [c.slice(dropped) for c in columns]
                skip -= dropped
            if len(columns[0]):
                yield columns
    finally:
        handle.close()


# A character str.strip() keeps (RE2 syntax): a cell holding one is not blank.
# tests/ingest/test_arrow_csv.py checks this class against str.isspace over all of Unicode.
NOT_SPACE = (
    r"[^\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}]"
)


def _without_blank(columns: list) -> list:
    """The records that have a value other than white space. A column at a time, only over
    the records still possibly blank: usually the first column settles every record."""
    import pyarrow.compute as pc

    maybe = None  # positions of records blank in every column so far
    for column in columns:
        part = column if maybe is None else column.take(maybe)
        blank = pc.invert(pc.match_substring_regex(part, NOT_SPACE))
        found = pc.indices_nonzero(blank)
        maybe = found if maybe is None else maybe.take(found)
        if not len(maybe):
            return columns
    keep = pc.invert(pc.is_in(arrow_values.positions(len(columns[0])), value_set=maybe))
    return [c.filter(keep) for c in columns]
