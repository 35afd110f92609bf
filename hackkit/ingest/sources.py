"""What kind of file this is, and its records as lists of raw strings.

Every reader hands the rest of the importer the same thing: column titles (or None when
the first record may be a header) and records of strings or None, re-readable from the start.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hackkit.ingest import text
from hackkit.ingest.errors import N_, IngestError
from hackkit.ingest.records import Source, cell_text

FORMATS = ("csv", "xlsx", "json", "geojson")

# An .xlsx is a zip of XML. Real sheets compress about 5-30 times; a zip bomb packs hundreds
# of megabytes of XML into a few hundred kilobytes (deflate reaches about 1000 times).
# openpyxl would read all of it (and keep the shared strings in memory), so the sizes the
# zip declares are checked first; Python's zipfile never unpacks more than a member declares.
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM = 16 * 1024 * 1024  # small members may compress as well as they like
XLSX_MAX_UNPACKED = 1024 * 1024 * 1024


def open_source(path: Path, fmt: str | None = None, encoding: str | None = None, delimiter: str | None = None):
    if not path.is_file():
        raise IngestError(N_("There is no file at %(path)s."), path=str(path))
    with path.open("rb") as handle:
        head = handle.read(8)
    if path.stat().st_size == 0:
        raise IngestError(N_("The file is empty."))
    fmt = fmt or sniff_format(path, head)
    if fmt == "xlsx":
        return _xlsx(path)
    if fmt in ("json", "geojson"):
        return _json(path)
    return _delimited(path, encoding, delimiter)


def sniff_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(N_("Old Excel (.xls) files cannot be read: save the sheet as .xlsx or CSV."))
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") and path.suffix.lower() in (".json", ".geojson", ""):
        return "json"
    if path.suffix.lower() in (".json", ".geojson"):
        return "json"
    return "csv"


def _delimited(path: Path, encoding: str | None, delimiter: str | None) -> Source:
    if delimiter not in (None, "none", "") and (len(delimiter) != 1 or delimiter in '\r\n"'):
        # Python's csv module takes one character other than a line break or the quote.
        raise IngestError(N_("The delimiter is one character, such as , ; | or a tab."))
    encoding = encoding or text.detect_encoding(path)
    try:
        sample = text.read_sample(path, encoding)
    except LookupError as error:
        raise IngestError(N_("Unknown encoding %(encoding)r."), encoding=encoding) from error
    if text.looks_binary(sample):
        raise IngestError(N_("This is not a table: the file holds binary data, not text, a spreadsheet or JSON."))
    if not sample.strip():
        raise IngestError(N_("The file is empty."))
    if delimiter is None:
        delimiter = text.detect_delimiter(sample)
    elif delimiter in ("none", ""):
        delimiter = None
    return Source(
        "csv",
        lambda: text.iter_records(path, encoding, delimiter),
        None,
        encoding,
        delimiter,
        numbered=lambda: text.iter_numbered(path, encoding, delimiter),
        path=path,
    )


def check_zip_sizes(path: Path) -> None:
    """Refuse a spreadsheet that would unpack to far more than it weighs, before reading it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise IngestError(
            N_("This spreadsheet cannot be opened: %(problem)s."), problem=error.__class__.__name__
        ) from error
    total = sum(m.file_size for m in members)
    inflated = [
        m for m in members if m.file_size > XLSX_RATIO_FROM and m.file_size > XLSX_MAX_RATIO * max(m.compress_size, 1)
    ]
    if inflated or total > XLSX_MAX_UNPACKED:
        raise IngestError(
            N_("This spreadsheet unpacks to %(mb)d MB, far more than its size: it is refused as a possible zip bomb."),
            mb=total // (1024 * 1024),
        )


def _xlsx(path: Path) -> Source:
    from openpyxl import load_workbook

    check_zip_sizes(path)

    def records() -> Iterator[list[str | None]]:
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken zip or sheet
            raise IngestError(
                N_("This spreadsheet cannot be opened: %(problem)s."), problem=error.__class__.__name__
            ) from error
        try:
            # The first sheet that has any cell: exports often start with an empty cover sheet.
            for sheet in book.worksheets:
                found = False
                for row in sheet.iter_rows(values_only=True):
                    cells = [cell_text(v) for v in row]
                    if any(c is not None and c.strip() for c in cells):
                        found = True
                        yield cells
                if found:
                    return
        finally:
            book.close()

    return Source("xlsx", records)


def _json(path: Path) -> Source:
    """An array of objects, an object holding one, or GeoJSON, streamed (see json_source)."""
    from hackkit.ingest.json_source import json_source

    return json_source(path)
