"""CKAN's `q` and `fq` (Solr's Lucene syntax) parsed with luqum and evaluated over datasets.

Why in Python and not SQL: a city's catalogue is tens to hundreds of datasets, the caller's
visible list is already loaded (drafts are decided per caller), and facets are counted over
it in Python too. Evaluating the tree over that list gives one meaning on SQLite and
PostgreSQL alike (no LIKE/ILIKE or JSON-array differences between them).

What follows Solr/CKAN: phrases, AND/OR/NOT, `+`/`-`, parentheses, `field:value` and
`field:(a OR b)` on the indexed fields, `*`/`?` wildcards, ranges `[a TO b]`/`{a TO b}` with
`*` (dates take ISO 8601 and NOW-1DAY style maths), `*:*`, boosts (ignored: order only).
Clauses side by side combine with AND (CKAN's `q.op`). Anything else (fuzzy `~`,
proximity, regular expressions, unknown fields) is a SearchQueryError, never a guess.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase

from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from hackkit.api.ckan import shapes
from hackkit.models import Dataset
from hackkit.services.dataset_meta import THEMES

MAX_QUERY = 4000  # characters; a longer q or fq is refused rather than parsed
TEXT_FIELDS = ("text", "title", "notes", "author", "maintainer", "url")
STRING_FIELDS = (
    "id", "name", "tags", "organization", "groups", "res_format", "license_id", "state",
    "capacity", "dataset_type", "type", "title_string", "site_id",
)  # fmt: skip
DATE_FIELDS = ("metadata_modified", "metadata_created")
FIELDS = TEXT_FIELDS + STRING_FIELDS + DATE_FIELDS
UNITS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400, "WEEK": 604800}
DATE_MATH = re.compile(r"^NOW(?:([+-])(\d+)(SECOND|MINUTE|HOUR|DAY|WEEK)S?)?(?:/(DAY|HOUR))?$")
WORDS = re.compile(r"\w+")
# luqum's parser and lexer (ply) keep their state on shared objects: one parse at a time.
PARSING = threading.Lock()


class SearchQueryError(Exception):
    """A query this grammar does not cover; the message says which part."""


@dataclass
class Document:
    """What a dataset offers to search: text fields as lower-case text, string fields as
    exact values, dates as UTC datetimes."""

    dataset: Dataset
    texts: dict[str, str] = field(default_factory=dict)
    strings: dict[str, list[str]] = field(default_factory=dict)
    dates: dict[str, datetime] = field(default_factory=dict)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def document(dataset: Dataset, site: str = "default") -> Document:
    organization = [shapes.organization_name(dataset.publisher)] if dataset.publisher else []
    groups = [shapes.group_name(t) for t in dataset.themes or []]
    tags = list(dataset.keywords or [])
    formats = ["CSV"] if dataset.current else []
    columns = [f"{c['name']} {c['title']}" for c in dataset.current.columns] if dataset.current else []
    texts = {
        "title": dataset.title,
        "notes": dataset.description or "",
        "author": dataset.publisher or "",
        "maintainer": dataset.contact or "",
        "url": dataset.source_url or "",
    }
    everything = [dataset.slug, *texts.values(), *tags, *groups, *organization, *formats, *columns]
    everything += [THEMES.get(t, t) for t in dataset.themes or []]
    texts["text"] = " ".join(everything)
    return Document(
        dataset,
        texts={k: v.lower() for k, v in texts.items()},
        strings={
            "id": [shapes.package_id(dataset)],
            "name": [dataset.slug],
            "title_string": [dataset.title],
            "tags": tags,
            "organization": organization,
            "groups": groups,
            "res_format": formats,
            "license_id": [dataset.license] if dataset.license else [],
            "state": ["active" if dataset.status == "published" else "draft"],
            "capacity": ["public"],
            "dataset_type": ["dataset"],
            "type": ["dataset"],
            "site_id": [site],
        },
        dates={"metadata_modified": _utc(shapes.modified(dataset)), "metadata_created": _utc(dataset.created_at)},
    )


def parse(text: str) -> tree.Item | None:
    """The tree of a q or fq; None for "everything" (empty, `*:*`, `*`)."""
    text = text.strip()
    if text in ("", "*:*", "*"):
        return None
    if len(text) > MAX_QUERY:
        raise SearchQueryError(f"the query is longer than {MAX_QUERY} characters")
    try:
        with PARSING:
            return parser.parse(text)
    except (ParseError, RecursionError) as error:
        raise SearchQueryError(f"cannot parse {text[:200]!r}: {str(error)[:200]}") from None
    except Exception as error:  # ply reports some bad input by other exception types
        raise SearchQueryError(f"cannot parse {text[:200]!r}: {type(error).__name__}") from None


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _is_pattern(value: str) -> bool:
    return bool(re.search(r"(?<!\\)[*?]", value))


def _pattern(value: str) -> str:
    """A Lucene term with * and ? as an fnmatch pattern; escaped characters and fnmatch's own
    [ ] classes (Lucene has none in a term) are matched literally."""
    out, escaped = [], False
    for char in value:
        if escaped or char in "[]":
            out.append(f"[{char}]")
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


def _date(value: str, now: datetime) -> datetime:
    value = _unescape(value).strip().upper()
    math = DATE_MATH.match(value)
    if math:
        sign, amount, unit, rounding = math.groups()
        moment = now
        if amount:
            moment += (-1 if sign == "-" else 1) * timedelta(seconds=int(amount) * UNITS[unit])
        if rounding == "DAY":
            moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        elif rounding == "HOUR":
            moment = moment.replace(minute=0, second=0, microsecond=0)
        return moment
    try:
        return _utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise SearchQueryError(f"{value[:60]!r} is not a date (use 2026-01-31T00:00:00Z or NOW-1DAY)") from None


@dataclass
class Evaluator:
    """Decides whether a document matches a parsed query; `now` fixes NOW for one request."""

    now: datetime

    def check(self, node: tree.Item) -> None:
        """Refuse what the grammar does not cover before any document is tried."""
        self._check(node, None)

    def _check(self, node: tree.Item, name: str | None) -> None:
        if isinstance(node, tree.SearchField):
            if name is not None:
                raise SearchQueryError(f"a field inside the field {name}")
            if node.name not in FIELDS:
                raise SearchQueryError(f"unknown field {node.name[:40]!r}; searchable: {', '.join(FIELDS)}")
            name = node.name
        elif isinstance(node, (tree.Fuzzy, tree.Proximity, tree.Regex)):
            raise SearchQueryError(f"{type(node).__name__.lower()} searches are not supported: {str(node)[:60]!r}")
        elif isinstance(node, tree.Word) and node.value in ("&&", "||", "!"):
            raise SearchQueryError(f"use AND, OR and NOT instead of {node.value}")
        elif isinstance(node, tree.Range):
            field_name = name or "text"
            if field_name in TEXT_FIELDS:
                raise SearchQueryError(f"ranges work on dates and names, not on the text field {field_name}")
            if field_name in DATE_FIELDS:
                for bound in (node.low, node.high):
                    if bound.value != "*":
                        _date(bound.value, self.now)
            return
        for child in node.children:
            self._check(child, name)

    def matches(self, node: tree.Item | None, doc: Document, name: str = "text") -> bool:
        if node is None:
            return True
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self.matches(node.expr, doc, name)
        if isinstance(node, tree.SearchField):
            if node.name == "*":
                return True  # *:* inside a larger query
            return self.matches(node.expr, doc, node.name)
        if isinstance(node, tree.Boost):
            return self.matches(node.expr, doc, name)
        if isinstance(node, tree.OrOperation):
            return any(self.matches(c, doc, name) for c in node.children)
        if isinstance(node, (tree.AndOperation, tree.UnknownOperation)):
            return self._all(node.children, doc, name)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            return not self.matches(node.a, doc, name)
        if isinstance(node, tree.Plus):
            return self.matches(node.a, doc, name)
        if isinstance(node, tree.Range):
            return self._in_range(node, doc, name)
        if isinstance(node, (tree.Phrase, tree.Word)):
            return self._term(node, doc, name)
        raise SearchQueryError(f"{type(node).__name__} is not supported: {str(node)[:60]!r}")

    def _all(self, children, doc: Document, name: str) -> bool:
        # Lucene: a clause list of only prohibitions means "everything except these".
        return all(self.matches(c, doc, name) for c in children)

    def _term(self, node: tree.Term, doc: Document, name: str) -> bool:
        phrase = isinstance(node, tree.Phrase)
        raw = node.value[1:-1] if phrase else node.value
        if name in DATE_FIELDS:
            return doc.dates[name] == _date(raw, self.now)
        if name in STRING_FIELDS:
            values = doc.strings[name]
            if name == "res_format":  # formats are upper case in CKAN; clients send either
                values, raw = [v.upper() for v in values], raw.upper()
            if not phrase and _is_pattern(raw):
                return any(fnmatchcase(v, _pattern(raw)) for v in values)
            return _unescape(raw) in values
        text = doc.texts[name]
        if phrase:
            wanted = " ".join(WORDS.findall(_unescape(raw).lower()))
            return bool(wanted) and wanted in " ".join(WORDS.findall(text))
        if _is_pattern(raw):
            return any(fnmatchcase(word, _pattern(raw.lower())) for word in WORDS.findall(text))
        return _unescape(raw).lower() in text

    def _in_range(self, node: tree.Range, doc: Document, name: str) -> bool:
        low, high = node.low.value, node.high.value
        if name in DATE_FIELDS:
            value = doc.dates[name]
            convert: Callable = lambda bound: _date(bound, self.now)  # noqa: E731
            values = [value]
        else:
            values = doc.strings[name]
            convert = _unescape
        for value in values:
            above = low == "*" or (value >= convert(low) if node.include_low else value > convert(low))
            below = high == "*" or (value <= convert(high) if node.include_high else value < convert(high))
            if above and below:
                return True
        return False


def positive_terms(node: tree.Item | None, negated: bool = False) -> list[tuple[str, tree.Item]]:
    """(field, term) pairs that count toward relevance: those not under NOT or `-`."""
    found: list[tuple[str, tree.Item]] = []

    def walk(item: tree.Item, name: str, negative: bool) -> None:
        if isinstance(item, (tree.Not, tree.Prohibit)):
            negative = not negative
        if isinstance(item, tree.SearchField):
            name = item.name
        if isinstance(item, (tree.Word, tree.Phrase)) and not negative and name != "*":
            found.append((name, item))
        for child in item.children:
            walk(child, name, negative)

    if node is not None:
        walk(node, "text", negated)
    return found


def score(evaluator: Evaluator, terms: list[tuple[str, tree.Item]], doc: Document) -> float:
    """A plain relevance: each matching term counts, a match in the title or name twice."""
    total = 0.0
    for name, term in terms:
        if name == "text":
            if evaluator.matches(term, doc, "text"):
                total += 1 + (evaluator.matches(term, doc, "title") or evaluator.matches(term, doc, "name"))
        elif name in doc.texts or name in doc.strings or name in doc.dates:
            total += evaluator.matches(term, doc, name)
    return total
