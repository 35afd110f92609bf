"""Reading a file into a typed table: one pass to guess, then streamed chunks of typed rows.

table = read_table(path)            # guesses everything, reads the file once
table.report                        # what was guessed, to show and to correct
for rows in table.chunks(5000):     # second pass, memory bounded by the chunk size
    ...
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hackkit.ingest import arrow_csv, batch_convert, batch_placing, batch_typing, placing, text
from hackkit.ingest import columns as cols
from hackkit.ingest import geometry as geo
from hackkit.ingest import header as header_rules
from hackkit.ingest.errors import N_, IngestError, Message
from hackkit.ingest.read_ahead import read_ahead
from hackkit.ingest.records import Source
from hackkit.ingest.sources import open_source

MAX_COLUMNS = 1000
HEADER_SAMPLE = 200
SOFT_MISSING_ONLY = "missing"  # format of a text column holding only "no value" marks
MAX_TITLE_CHARS = 200  # a longer "column name" is a line of data or a broken file
# Longest value accepted; the hub passes its HACKKIT_DATASET_MAX_FIELD_CHARS setting.
DEFAULT_MAX_FIELD_CHARS = 1_000_000
_UNSEEN = object()
TYPING_BATCH = 5_000  # records typed together by batch_typing...
TYPING_BATCH_CHARS = 4_000_000  # ...or fewer when they are long


@dataclass
class Overrides:
    """Corrections an organizer makes to the guesses; any field left None is guessed."""

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None  # "none" for a single-column file
    header: bool | None = None
    types: dict[str, str] = field(default_factory=dict)  # cleaned column name -> type
    # {"lat","lon"} | {"x","y","crs"} | {"column","kind"(geojson|wkt|lnglat),"crs"} | {"kind": "none"};
    # the report's "geometry_candidates" each carry the "override" that chooses them.
    geometry: dict[str, str] | None = None
    # After a changed header, delimiter or encoding the column names change: type corrections
    # naming columns that no longer exist are then dropped (the new columns are guessed).
    ignore_unknown_types: bool = False
    max_field_chars: int | None = None  # longest value accepted; None: DEFAULT_MAX_FIELD_CHARS


@dataclass
class Column:
    name: str
    title: str
    type: str
    fmt: str | None = None
    source: int | None = None  # index in the record; None for columns the importer adds
    max_length: int = 0


@dataclass
class Table:
    source: Source
    header: bool
    width: int
    columns: list[Column]
    geometry: dict[str, Any] | None
    rows: int
    ragged: int
    repaired: int
    notes: list[Message]
    geometry_candidates: list[dict[str, Any]] = field(default_factory=list)
    preamble: int = 0  # title lines skipped above the header
    ragged_lines: list[int] = field(default_factory=list)
    fast: bool = False  # read by pyarrow's CSV reader (arrow_csv), a column at a time

    def _arrow_batches(self):
        skip = self.preamble + (1 if self.header else 0)
        return arrow_csv.batches(self.source.path, self.source.encoding, self.source.delimiter, skip)

    @property
    def report(self) -> dict[str, Any]:
        return {
            "format": self.source.format,
            "encoding": self.source.encoding,
            "delimiter": self.source.delimiter,
            "header": self.header,
            "rows": self.rows,
            "ragged_rows": self.ragged,
            "ragged_lines": self.ragged_lines,  # the first of them, line numbers in the file
            "title_lines": self.preamble,
            "repaired_values": self.repaired,
            "columns": [{"name": c.name, "title": c.title, "type": c.type} for c in self.columns],
            "geometry": self.geometry,
            # Every way the rows could be placed, with the correction (Overrides.geometry) choosing it.
            "geometry_candidates": self.geometry_candidates,
            "notes": [str(note) for note in self.notes],  # English, for the API and the CLI
            "note_messages": [note.as_dict() for note in self.notes],  # translated on the pages
        }

    def column_batches(self, dates_as_text: bool = False) -> Iterator[list[list[Any]]]:
        """Typed values, a batch of rows at a time, as one list per column of `columns`; with
        `dates_as_text`, dates as their isoformat() (`2024-03-05`: how SQLite stores them).
        A value that does not fit an overridden type raises IngestError."""
        if not self.fast:
            names = [c.name for c in self.columns]
            dates = [i for i, c in enumerate(self.columns) if dates_as_text and c.type == "date"]
            for chunk in self.chunks():
                values = [[row.get(name) for row in chunk] for name in names]
                for i in dates:
                    values[i] = [None if v is None else v.isoformat() for v in values[i]]
                yield values
            return
        sources = [c for c in self.columns if c.source is not None]
        plans = [batch_convert.Plan(c.name, c.type, c.fmt, SOFT_MISSING_ONLY, dates_as_text) for c in sources]
        make_geometry = _geometry_maker(self.geometry)
        added = [c.name for c in self.columns if c.source is None]
        needed = _geometry_inputs(self.geometry)

        def prepared():
            for arrays in self._arrow_batches():
                yield len(arrays[0]), batch_convert.prepare(plans, [arrays[c.source] for c in sources])

        first = 1
        # The next batch is parsed and put through pyarrow's kernels in a thread of its own
        # (the GIL released) while this thread makes Python values of this one and the caller
        # stores them (SQLite's executemany): on two cores they overlap instead of taking turns.
        with closing(read_ahead(prepared)) as batches:
            for count, parts in batches:
                values = batch_convert.finish(plans, parts, first)
                first += count
                if make_geometry:
                    inputs = [values[i] for i, c in enumerate(sources) if c.name in needed]
                    names = [c.name for c in sources if c.name in needed]
                    made = [make_geometry(dict(zip(names, row, strict=True))) for row in zip(*inputs, strict=True)]
                    values += [[row[name] for row in made] for name in added]
                yield values
        _release_arrow_memory()

    def chunks(self, size: int = 5000) -> Iterator[list[dict[str, Any]]]:
        """Typed rows, `size` at a time. A value that does not fit an overridden type raises IngestError."""
        if self.fast:
            names = [c.name for c in self.columns]
            chunk: list[dict[str, Any]] = []
            for values in self.column_batches():
                chunk += [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
                while len(chunk) >= size:
                    yield chunk[:size]
                    chunk = chunk[size:]
            if chunk:
                yield chunk
            return
        # Each column's value is a function of its raw string alone, so a string met before (a
        # district, a category, a date) is converted once: `seen` remembers up to KNOWN_VALUES of them.
        plan = [
            (
                c.name,
                c.source,
                cols.converter(c.type, c.fmt),
                c.type != "text",
                c.type != "text" or c.fmt == SOFT_MISSING_ONLY,
                {} if c.type != "geojson" else None,  # shapes are new objects each time
            )
            for c in self.columns
            if c.source is not None
        ]
        make_geometry = _geometry_maker(self.geometry)
        missing, soft_missing = cols.MISSING, cols.SOFT_MISSING
        known, known_length = cols.KNOWN_VALUES, cols.KNOWN_LENGTH
        # In a text file, the plain numbers of a batch of records are converted in C (batch_typing).
        numeric = [
            (index, c.source, c.type, c.fmt)
            for index, c in enumerate(c for c in self.columns if c.source is not None)
            if c.type in ("integer", "number")
        ]
        batched = bool(numeric) and self.source.format == "csv" and batch_typing.available()
        pending = batch_typing.PENDING
        ready: list[list | None] = [None] * len(plan)
        chunk: list[dict[str, Any]] = []
        for number, record, at, batch in batch_typing.numbered_batches(
            _data_records(self.source, self.header, self.preamble), TYPING_BATCH if batched else 0
        ):
            if batched and at == 0:  # the first record of a new batch: convert the batch's numbers
                for index, source, kind, fmt in numeric:
                    values = [r[source] if source < len(r) else None for r in batch]
                    ready[index] = batch_typing.convert_numbers(values, kind, fmt)
            row: dict[str, Any] = {}
            width = len(record)
            for position, (name, source, convert, strip, soft, seen) in enumerate(plan):
                done = ready[position]
                if done is not None and (value := done[at]) is not pending:
                    row[name] = value
                    continue
                original = record[source] if source < width else None
                if original is None:
                    row[name] = None
                    continue
                if seen is not None and (hit := seen.get(original, _UNSEEN)) is not _UNSEEN:
                    row[name] = hit
                    continue
                raw = text.repair(original)
                bare = raw.strip()
                if bare.lower() in missing or (soft and bare.lower() in soft_missing):
                    value = None
                else:
                    try:
                        value = convert(bare if strip else raw)
                    except ValueError as error:
                        raise IngestError(
                            N_("Row %(row)d, column %(column)s: %(problem)s."),
                            row=number,
                            column=name,
                            problem=getattr(error, "message", None) or str(error),
                        ) from error
                row[name] = value
                if seen is not None and len(original) <= known_length and len(seen) < known:
                    seen[original] = value
            if make_geometry:
                row.update(make_geometry(row))
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _release_arrow_memory() -> None:
    """pyarrow's allocator keeps the blocks it freed for its next arrays: after each pass over
    the file, give them back, so that the next pass, and after the last one the database's own
    work (index builds, full text), does not add its memory on top (peak RSS 259 -> 250 MB
    for 1,000,000 rows)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _data_records(source: Source, header: bool, preamble: int = 0) -> Iterator[list[str | None]]:
    return (record for _, record in _numbered_data(source, header, preamble))


def _numbered_data(source: Source, header: bool, preamble: int = 0) -> Iterator[tuple[int, list[str | None]]]:
    """(line number in the file, record) for each data record: the title lines and header skipped."""
    numbered = source.numbered() if source.numbered else enumerate(source.records(), start=1)
    skip = preamble + (1 if header and source.titles is None else 0)
    for _ in range(skip):
        next(numbered, None)
    return numbered


def _first_records(source: Source, count: int) -> list[list[str | None]]:
    records = source.records()
    sample = []
    for record in records:
        sample.append(record)
        if len(sample) >= count:
            break
    if hasattr(records, "close"):
        records.close()
    return sample


def has_header(sample: list[list[str | None]]) -> bool:
    """Whether the first record holds column names (see hackkit.ingest.header for the evidence)."""
    return header_rules.decide(sample)[0]


def title_lines(sample: list[list[str | None]]) -> int:
    """Lines above the header that hold only a title (`Population by district;;;;;`): 0 or 1."""
    if len(sample) < 3:
        return 0
    filled = [sum(1 for cell in record if not cols.is_missing(cell)) for record in sample[1:]]
    typical = sorted(filled)[len(filled) // 2]
    first = sum(1 for cell in sample[0] if not cols.is_missing(cell))
    if first != 1 or typical < 3 or cols.is_missing(sample[0][0]):
        return 0
    title = (sample[0][0] or "").strip()
    # A title is a phrase, unlike the values under it; a sparse data row keeps its place.
    below = {(record[0] or "").strip() for record in sample[1:] if record}
    return 1 if " " in title and len(title) >= 12 and title not in below else 0


def read_table(path: str | Path, overrides: Overrides | None = None) -> Table:
    """Open, sniff and type a file. Raises IngestError with one clear line when it cannot.

    `overrides` carries the organizer's corrections (header, delimiter, encoding, types,
    geometry) and the field-size limit; anything left None is guessed.
    """
    overrides = overrides or Overrides()
    source = open_source(Path(path), overrides.format, overrides.encoding, overrides.delimiter)
    try:
        return _type_table(source, overrides)
    except UnicodeDecodeError as error:
        raise IngestError(
            N_("The file is not readable as %(encoding)s: %(problem)s."), encoding=source.encoding, problem=error.reason
        ) from error
    except MemoryError as error:
        raise IngestError(N_("The file is too large to read.")) from error


def _check_title(index: int, title: str) -> None:
    if len(title) > MAX_TITLE_CHARS:
        raise IngestError(
            N_(
                "The name of column %(n)d is %(length)d characters long; names longer than %(max)d characters are "
                "refused. If the first row is data, not column names, set the header to no."
            ),
            n=index + 1,
            length=len(title),
            max=MAX_TITLE_CHARS,
        )


def _type_table(source: Source, overrides: Overrides) -> Table:
    notes: list[Message] = []
    max_field = overrides.max_field_chars or DEFAULT_MAX_FIELD_CHARS
    preamble = 0
    if source.titles is not None:
        header, titles = True, list(source.titles)
    else:
        sample = _first_records(source, HEADER_SAMPLE)
        if not sample:
            raise IngestError(N_("The file holds no rows."))
        preamble = title_lines(sample) if overrides.header is not False else 0
        if preamble:
            notes.append(
                Message(
                    N_("The first line (%(title)s) is a title above the table; it was skipped."),
                    title=(sample[0][0] or "").strip()[:100],
                )
            )
            sample = sample[preamble:]
        if overrides.header is not None:
            header = overrides.header
            reason = Message(
                N_("The first row was read as column names, as asked.")
                if header
                else N_("The first row was read as data, as asked.")
            )
        else:
            header, reason = header_rules.decide(sample)
        notes.append(reason)
        titles = [(t or "").strip() for t in sample[0]] if header else []
    for index, title in enumerate(titles):
        _check_title(index, title)

    guessers: list[cols.TypeGuesser] = []
    probes: list[geo.ShapeProbe] = []
    rows = repaired = 0
    widths: Counter[int] = Counter()
    width_lines: dict[int, list[int]] = {}
    missing = cols.MISSING

    def add_values(line: int, record: list[str | None]) -> None:
        """The value-by-value typing of one record."""
        nonlocal repaired
        for index, raw in enumerate(record):
            if raw is None:
                continue
            if len(raw) > max_field:
                raise IngestError(
                    N_(
                        "Line %(line)d, column %(column)d holds %(length)d characters; values longer than %(max)d "
                        "characters are refused (setting HACKKIT_DATASET_MAX_FIELD_CHARS)."
                    ),
                    line=line,
                    column=index + 1,
                    length=len(raw),
                    max=max_field,
                )
            value = raw if raw.isascii() else text.repair(raw)
            if value is not raw and value != raw:
                repaired += 1
            bare = value.strip()
            if bare.lower() in missing:  # cols.is_missing, inlined: this runs for every value
                continue
            guessers[index].add(bare)
            probe = probes[index]
            if probe.checked < geo.PROBE_LIMIT:
                probe.add(value)

    def add_batch(records: list[list[str | None]], lines: list[int]) -> None:
        """The same for many records at once, a column at a time (batch_typing)."""
        nonlocal repaired
        width = max(len(r) for r in records)
        if all(len(r) == width for r in records):
            columns = [list(values) for values in zip(*records, strict=True)]
        else:
            columns = [[r[i] if i < len(r) else None for r in records] for i in range(width)]
        if batch_typing.too_long(columns, max_field):
            for line, record in zip(lines, records, strict=True):
                add_values(line, record)  # raises, naming the line
            return
        for index, values in enumerate(columns):
            guesser = guessers[index]

            def slow(raw: str, guesser: cols.TypeGuesser = guesser) -> None:
                nonlocal repaired
                value = text.repair(raw)
                if value is not raw and value != raw:
                    repaired += 1
                bare = value.strip()
                if bare.lower() not in missing:
                    guesser.add(bare)

            batch_typing.add_column(guesser, probes[index], values, slow)

    # A plain delimited file is read by pyarrow, a block at a time; any other through the csv module.
    fast = source.format == "csv" and arrow_csv.usable(source.path, source.delimiter)
    if fast:
        try:
            rows, repaired = _scan_arrow(source, preamble + (1 if header else 0), max_field, guessers, probes, widths)
        except arrow_csv.NotPlain:
            fast, rows, repaired = False, 0, 0
            guessers.clear(), probes.clear(), widths.clear()
    # Text files (whose cells are all strings) are typed in batches, bounded in records and characters.
    batched = source.format == "csv" and batch_typing.available()
    batch_chars = 0
    batch: list[list[str | None]] = []
    batch_lines: list[int] = []
    for line, record in _numbered_data(source, header, preamble) if not fast else ():
        rows += 1
        widths[len(record)] += 1
        lines = width_lines.setdefault(len(record), [])
        if len(lines) < placing.ROWS_NAMED:
            lines.append(line)
        while len(guessers) < len(record):
            guessers.append(cols.TypeGuesser())
            probes.append(geo.ShapeProbe())
            if len(guessers) > MAX_COLUMNS:
                raise IngestError(N_("The file has more than %(n)d columns."), n=MAX_COLUMNS)
        if not batched:
            add_values(line, record)
            continue
        batch.append(record)
        batch_lines.append(line)
        batch_chars += sum(map(len, record))
        if len(batch) >= TYPING_BATCH or batch_chars >= TYPING_BATCH_CHARS:
            add_batch(batch, batch_lines)
            batch, batch_lines, batch_chars = [], [], 0
    if batch:
        add_batch(batch, batch_lines)

    width = max(len(titles), len(guessers))
    if width == 0:
        raise IngestError(N_("The file holds no columns."))
    if rows == 0 and not header:
        raise IngestError(N_("The file holds no rows."))
    titles = [text.repair(t) for t in titles] + [f"column_{i + 1}" for i in range(len(titles), width)]
    while len(guessers) < width:
        guessers.append(cols.TypeGuesser())
        probes.append(geo.ShapeProbe())
    names = cols.clean_names(titles)
    unknown = sorted(set(overrides.types) - set(names))
    if unknown and not overrides.ignore_unknown_types:
        raise IngestError(N_("There is no column %(name)r to change the type of."), name=unknown[0])
    columns = []
    for index, (name, title, guesser) in enumerate(zip(names, titles, guessers, strict=True)):
        kind, fmt = guesser.result()
        if guesser.seen == 0 and guesser.soft_missing:
            kind, fmt = "text", SOFT_MISSING_ONLY  # only "." or "x" in every row: no values at all
        if title in source.text_titles and kind in ("integer", "number") and name not in overrides.types:
            kind, fmt = "text", None  # the file itself says so: codes like "04" or "0" stay as written
        elif kind in ("integer", "number") and name not in overrides.types:
            kind, fmt = _dates_in_numbers(name, title, kind, fmt, guesser, source, notes)
        if kind != "text" and cols.CODE_NAME.search(name) and name not in overrides.types:
            kind, fmt = "text", None
            notes.append(
                Message(N_("%(name)s is kept as text: by its name it holds codes, not quantities."), name=name)
            )
        if name in overrides.types:
            if overrides.types[name] not in cols.TYPES:
                raise IngestError(
                    N_("Unknown type %(type)r; use one of %(types)s."),
                    type=overrides.types[name],
                    types=", ".join(cols.TYPES),
                )
            if overrides.types[name] != kind:
                kind, fmt = overrides.types[name], None
        columns.append(Column(name, title, kind, fmt, index, guesser.max_length))
    ragged, ragged_lines = _ragged(widths, width_lines, len(titles) if header else None)
    if ragged:
        expected = len(titles) if header else widths.most_common(1)[0][0]
        notes.append(
            Message(
                N_(
                    "Rows that do not have %(expected)d fields like the others: lines %(lines)s (%(n)d in all). A "
                    "value may hold the delimiter, or a row was split by another character. Missing fields were "
                    "left empty."
                ),
                n=ragged,
                expected=expected,
                lines=placing.row_list(ragged_lines, ragged),
            )
        )
    if repaired:
        notes.append(
            Message(
                N_(
                    "%(n)d values had garbled accented letters (like cafÃ© for café: the text was saved twice "
                    "in different encodings); they were repaired."
                ),
                n=repaired,
            )
        )
    if any(c.type == "time" for c in columns):
        notes.append(
            Message(
                N_(
                    "Some columns hold times of day that a spreadsheet stored as dates on 30 December 1899; "
                    "they were read as times of day."
                )
            )
        )

    table = Table(source, header, width, columns, None, rows, ragged, repaired, notes)
    table.preamble, table.ragged_lines, table.fast = preamble, ragged_lines, fast
    table.geometry, table.geometry_candidates, found_notes = _detect_geometry(
        columns, guessers, probes, overrides, table
    )
    notes.extend(found_notes)
    return table


def _scan_arrow(source: Source, skip: int, max_field: int, guessers, probes, widths) -> tuple[int, int]:
    """The typing pass over pyarrow's blocks: (rows, repaired values). Raises arrow_csv.NotPlain,
    also for a value longer than `max_field`, which the csv-module reading names by its line."""
    rows = 0
    repaired = [0]
    missing = cols.MISSING
    # The next block is parsed, and its plain numbers and longest values found, in a thread of
    # its own (pyarrow releases the GIL) while this one is typed. That thread sets the pace
    # (this one waits for its blocks), so it leaves out the masks of the columns this thread
    # found to be text (the positions in settled[0], a frozenset only ever replaced by a larger
    # one): their guessers ask for none. One regex over a column of 1,000,000 values: 0.06 s.
    settled = [frozenset()]

    def parsed():
        for arrays in arrow_csv.batches(source.path, source.encoding, source.delimiter, skip):
            masks = batch_typing.plain_masks(arrays, settled[0])
            yield arrays, batch_typing.too_long(arrays, max_field), masks

    with closing(read_ahead(parsed)) as blocks:
        for arrays, too_long, plain_masks in blocks:
            rows += len(arrays[0])
            widths[len(arrays)] += len(arrays[0])
            while len(guessers) < len(arrays):
                guessers.append(cols.TypeGuesser())
                probes.append(geo.ShapeProbe())
            if too_long:
                raise arrow_csv.NotPlain("a value is too long")
            for guesser, probe, values, plain_mask in zip(guessers, probes, arrays, plain_masks, strict=False):

                def slow(raw: str, guesser: cols.TypeGuesser = guesser) -> None:
                    value = text.repair(raw)
                    if value is not raw and value != raw:
                        repaired[0] += 1
                    bare = value.strip()
                    if bare.lower() not in missing:
                        guesser.add(bare)

                batch_typing.add_column(guesser, probe, values, slow, plain_mask)
            text_now = frozenset(at for at, guesser in enumerate(guessers) if not guesser.candidates)
            if text_now != settled[0]:
                settled[0] = text_now
    _release_arrow_memory()
    return rows, repaired[0]


def _ragged(widths: Counter[int], width_lines: dict[int, list[int]], expected: int | None) -> tuple[int, list[int]]:
    """Rows whose number of fields differs from the header's (or, without one, from most rows')."""
    if not widths:
        return 0, []
    if expected is None:
        expected = widths.most_common(1)[0][0]
    count = sum(n for w, n in widths.items() if w != expected)
    lines = sorted(line for w, found in width_lines.items() if w != expected for line in found)
    return count, lines[: placing.ROWS_NAMED]


DATE_NAME = re.compile(
    r"(date|datum|time|tijd|timestamp|created|updated|modified|edited|(^|_)at$|zeit|fecha|jour|dag$|day$)"
)
EPOCH_SECONDS = (315_532_800, 4_102_444_800)  # 1980-01-01 to 2100-01-01
EPOCH_ANY_SECONDS = (-2_208_988_800, 4_102_444_800)  # 1900 to 2100, when the file says it is a date


def _dates_in_numbers(name, title, kind, fmt, guesser, source, notes) -> tuple[str, str | None]:
    """Numbers that are dates: 8-digit yyyymmdd, or Unix epoch seconds or milliseconds (ArcGIS),
    when the column's name or the file itself says date or time and the values fit."""
    declared = title in source.date_titles
    if not (declared or DATE_NAME.search(name)):
        return kind, fmt
    if kind == "integer" and "date_compact" in guesser.candidates:
        notes.append(
            Message(N_("%(name)s holds dates written as yyyymmdd numbers; they were read as dates."), name=name)
        )
        return "date", "compact"
    found = guesser.number_range()
    if found is None:
        return kind, fmt
    low, high = found
    span = EPOCH_ANY_SECONDS if declared else EPOCH_SECONDS
    for unit, factor in (("epoch_s", 1), ("epoch_ms", 1000)):
        if span[0] * factor <= low and high <= span[1] * factor:
            if factor == 1000 and high < span[1]:
                continue  # small enough to be seconds: already checked
            notes.append(
                Message(
                    N_("%(name)s holds date-times as Unix timestamps (%(unit)s); they were read as date-times."),
                    name=name,
                    unit="ms" if factor == 1000 else "s",
                )
            )
            return "datetime", unit
    return kind, fmt


def _unique(columns: list[Column], name: str) -> str:
    taken = {c.name for c in columns}
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}_{counter}", counter + 1
    return candidate


def _detect_geometry(columns, guessers, probes, overrides: Overrides, table: Table):
    """(geometry, candidates, notes): the location the rows get, and every other one there was."""
    source = table.source
    chosen = overrides.geometry
    if chosen and chosen.get("kind") == "none":
        return None, [], []
    found = placing.candidates(columns, guessers, probes, source, chosen)
    if not found:
        return None, [], []
    if table.fast:
        with closing(read_ahead(table._arrow_batches)) as blocks:  # parsed in a thread of its own
            batch_placing.try_all(found, columns, blocks)
        _release_arrow_memory()
    else:
        batch = TYPING_BATCH if source.format == "csv" and batch_typing.available() else 0
        placing.try_all(found, columns, _data_records(source, table.header, table.preamble), batch)
    winner = placing.choose(found) if not chosen else found[0]
    listed, notes = placing.report_of(found, winner, table.rows)
    if winner is None:
        return None, listed, notes
    description = winner.description()
    common = {
        "placed": winner.placed,
        "outliers": placing.outliers(winner)[0],
        "detected": str(description),
        "detected_message": description.as_dict(),
    }
    by_name = {c.name: c for c in columns}
    if winner.kind == "point":
        lat, lon = winner.columns
        return {"type": "point", "lat": lat, "lon": lon, **common}, listed, notes
    if winner.kind == "projected":
        x, y = winner.columns
        lon, lat = _unique(columns, "longitude"), _unique(columns, "latitude")
        columns.append(Column(lon, "longitude (WGS84)", "number"))
        columns.append(Column(lat, "latitude (WGS84)", "number"))
        return (
            {"type": "point", "lat": lat, "lon": lon, "from": {"x": x, "y": y, "crs": winner.crs}, **common},
            listed,
            notes,
        )
    column = by_name[winner.columns[0]]
    if winner.notation == "geojson" and not winner.crs:
        # Already GeoJSON in WGS84: the column itself is the geometry (mended where invalid), no copy.
        column.type, column.fmt = "geojson", None
        return {"type": "geojson", "column": column.name, **common}, listed, notes
    out = _unique(columns, "geometry") if column.name != "geometry" else "geometry_wgs84"
    columns.append(Column(out, "geometry (GeoJSON, WGS84)", "geojson"))
    origin = {"column": column.name, "kind": winner.notation, "crs": winner.crs, "rings": winner.rings}
    return {"type": "geojson", "column": out, "from": origin, **common}, listed, notes


def _detected(message_id: str, **params: Any) -> dict[str, Any]:
    """What was found, in English and as a message the web layer translates."""
    message = Message(message_id, **params)
    return {"detected": str(message), "detected_message": message.as_dict()}


def _geometry_inputs(geometry: dict | None) -> set[str]:
    """The columns `_geometry_maker`'s function reads."""
    if not geometry or "from" not in geometry:
        return set()
    origin = geometry["from"]
    return {origin["x"], origin["y"]} if geometry["type"] == "point" else {origin["column"]}


def _geometry_maker(geometry: dict | None):
    if not geometry or "from" not in geometry:
        return None
    origin = geometry["from"]
    if geometry["type"] == "point":
        x, y, crs = origin["x"], origin["y"], origin["crs"]
        lat, lon = geometry["lat"], geometry["lon"]

        def point(row):
            if row.get(x) is None or row.get(y) is None:
                return {lon: None, lat: None}
            lo, la = geo.project_point(float(row[x]), float(row[y]), crs)
            return {lon: lo, lat: la}

        return point
    source_column, kind, crs, out = origin["column"], origin["kind"], origin.get("crs"), geometry["column"]
    rings = bool(origin.get("rings"))

    def shape(row):
        value = row.get(source_column)
        converted = geo.read_shape(value, kind, crs, rings).geometry if isinstance(value, str) else None
        return {out: geo.dumps(converted) if converted else None}

    return shape


def describe(table: Table) -> dict[str, Any]:
    """The report plus each column's full description, as plain data (JSON-ready)."""
    report = table.report
    report["columns"] = [asdict(c) for c in table.columns]
    return report
