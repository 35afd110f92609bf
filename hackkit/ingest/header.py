"""Is the first row column names or data? Decided on evidence, and the evidence is reported.

A header cell usually differs from the values under it: a word over numbers, a short name
over long texts. A data cell looks like its neighbours: a number among numbers, a web
address among web addresses, a sentence, an empty cell, the same shape of letters and
digits as the rest of its column, a value that repeats below. Each cell votes; a
contradiction of the column's type weighs most, because a header that is data would have
to be a number that is not a number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from hackkit.ingest import columns as cols
from hackkit.ingest.errors import N_, Message

URL = re.compile(r"^(https?://|www\.)\S+$|^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
LONG_TEXT = 60  # characters: longer than any sensible column name
LONG_WORDS = 7
EXAMPLES = 3  # cells quoted in the note


@dataclass
class Evidence:
    header: int = 0
    data: int = 0
    header_cells: list[str] = field(default_factory=list)
    data_cells: list[str] = field(default_factory=list)

    def vote(self, for_header: bool, cell: str, weight: int = 1) -> None:
        if for_header:
            self.header += weight
            self.header_cells.append(cell)
        else:
            self.data += weight
            self.data_cells.append(cell)


def pattern(value: str) -> str:
    """The shape of a value: letters A/a, digits 9, runs collapsed (`AB-123` -> `A-9`)."""
    shape = re.sub(r"[A-Z]+", "A", value)
    shape = re.sub(r"[a-z]+", "a", shape)
    shape = re.sub(r"[^\W\d_]+", "a", shape)  # other letters (accents, other scripts)
    return re.sub(r"\d+", "9", shape)


def _informative(shape: str) -> bool:
    # "Aa" or "a a" says little: names and words have it too. Digits or punctuation say more.
    return bool(re.search(r"[9\W_]", shape.replace(" ", "")))


def weigh(sample: list[list[str | None]]) -> Evidence:
    evidence = Evidence()
    first, rest = sample[0], sample[1:]
    for index, value in enumerate(first):
        below = [r[index] for r in rest if index < len(r) and not cols.is_missing(r[index])]
        filled_below = len(below) / max(len(rest), 1)
        if cols.is_missing(value):
            if filled_below >= 0.8:
                evidence.vote(False, value or "")  # names are rarely left empty over a full column
            continue
        cell = value.strip()
        if URL.match(cell):
            evidence.vote(False, cell, 2)
            continue
        if len(cell) > LONG_TEXT or len(cell.split()) >= LONG_WORDS:
            evidence.vote(False, cell, 2)
            continue
        guesser = cols.TypeGuesser()
        for other in below:
            guesser.add(other.strip())
        kind, fmt = guesser.result()
        if kind != "text":
            try:
                cols.converter(kind, fmt)(cell)
                evidence.vote(False, cell)
            except ValueError:
                evidence.vote(True, cell, 2)
            continue
        if not below:
            continue
        if cell in below:
            evidence.vote(False, cell)
            continue
        shapes = Counter(pattern(v.strip()) for v in below)
        common, count = shapes.most_common(1)[0]
        if count / len(below) >= 0.6 and _informative(common):
            evidence.vote(pattern(cell) != common, cell)
    cells = [v.strip() for v in first if not cols.is_missing(v)]
    if len(set(cells)) < len(cells):
        evidence.vote(False, next(c for c in cells if cells.count(c) > 1), 2)  # column names are unique
    return evidence


def decide(sample: list[list[str | None]]) -> tuple[bool, Message]:
    """(first row is a header, the reason in words an organizer reads)."""
    if len(sample) < 2:
        return True, Message(N_("The first row was read as column names: there is nothing below it to compare."))
    evidence = weigh(sample)
    if evidence.data > evidence.header:
        return False, Message(
            N_(
                "The first row was read as data, not as column names: its cells look like the values under them "
                "(%(examples)s). If it does hold the names, correct the header setting."
            ),
            examples=_quoted(evidence.data_cells),
        )
    if evidence.header:
        return True, Message(
            N_("The first row was read as column names: %(examples)s differ from the values under them."),
            examples=_quoted(evidence.header_cells),
        )
    return True, Message(
        N_(
            "The first row was read as column names: nothing in it looks like the values under them. If it is "
            "data, correct the header setting."
        )
    )


def _quoted(cells: list[str]) -> str:
    return ", ".join(f'"{c[:40]}"' for c in cells[:EXAMPLES])
