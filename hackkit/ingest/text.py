"""Delimited text: which encoding, whether the UTF-8 was mangled, which delimiter, and rows.

Everything here reads the file in bounded pieces, so a big file never sits in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from hackkit.ingest.errors import N_, IngestError

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", ";", "\t", "|")
# Real exports hold whole polygons in one cell; the csv module's 128 kB default is too small.
csv.field_size_limit(256 * 1024 * 1024)

# Western encodings a city file plausibly uses when it is not UTF-8; anything else
# charset-normalizer suggests for such files is usually a misreading of cp1252.
WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman"}
# UTF-8 read as cp1252/latin-1: an Ã or Â followed by a continuation-looking character.
MOJIBAKE = re.compile("[\u00c2\u00c3\u00c5][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u017d\u017e\u0178]")


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the best Western guess."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        sample = b""
        try:
            while chunk := handle.read(1024 * 1024):
                if len(sample) < SAMPLE_BYTES:
                    sample += chunk[:SAMPLE_BYTES]
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(sample[:SAMPLE_BYTES]).best()
    guess = best.encoding if best is not None else None
    if guess in WESTERN:
        return guess
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin_1"  # decodes any byte, so a file never fails on its encoding alone


def looks_binary(sample: str) -> bool:
    """NUL bytes or many control characters mean this is not a text table."""
    if not sample:
        return False
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls > max(3, len(sample[:20000]) // 100)


def has_mojibake(sample: str) -> bool:
    return bool(MOJIBAKE.search(sample))


def repair(value: str) -> str:
    """Undo UTF-8 that was decoded as cp1252 or latin-1 (`cafÃ©` -> `café`)."""
    if value.isascii():
        return value
    import ftfy  # here: only values with mojibake reach it

    return ftfy.fix_encoding(value)


def read_sample(path: Path, encoding: str, size: int = SAMPLE_BYTES) -> str:
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        return handle.read(size)


def _sample_lines(sample: str) -> list[str]:
    lines = sample.splitlines(keepends=True)
    if len(sample) >= SAMPLE_BYTES - 4 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    return lines[:200]


def detect_delimiter(sample: str) -> str | None:
    """The delimiter that splits the sample into the most consistent number (>1) of fields.

    None means one column. Parsing with the csv module first means delimiters inside
    quoted values do not count.
    """
    text = "".join(_sample_lines(sample))
    best: tuple[float, str] | None = None
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = Counter(len(r) for r in rows)
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        # Consistency first, then more columns; a header line always counts.
        score = count / len(rows) + min(width, 50) / 1000
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else None


def iter_records(path: Path, encoding: str, delimiter: str | None) -> Iterator[list[str]]:
    """Every non-blank record of the file as a list of raw strings."""
    return (record for _, record in iter_numbered(path, encoding, delimiter))


def iter_numbered(path: Path, encoding: str, delimiter: str | None) -> Iterator[tuple[int, list[str]]]:
    """(line number where it starts, record) for every non-blank record of the file."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        if delimiter is None:
            for number, line in enumerate(handle, start=1):
                line = line.rstrip("\r\n")
                if line.strip():
                    yield number, [line]
            return
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            ended = 0
            for record in reader:
                start, ended = ended + 1, reader.line_num
                if any(cell.strip() for cell in record):
                    yield start, record
        except csv.Error as error:
            raise IngestError(
                N_("Line %(line)d cannot be read as CSV: %(problem)s."), line=reader.line_num, problem=str(error)
            ) from error
