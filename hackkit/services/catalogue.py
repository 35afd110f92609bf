"""The catalogue: search and facets over the datasets an actor may see.

A city's catalogue holds tens to hundreds of datasets, so facets are counted in Python
over the visible list; the heavy lifting (rows) happens in dataset_rows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from hackkit.models import Dataset
from hackkit.services.datasets import visible_datasets

FACETS = ("theme", "license", "format", "publisher")
# Facets a caller may choose on top of FACETS (the CKAN API filters and counts tags).
EXTRA_FACETS = ("keyword",)


def _found(dataset: Dataset, words: list[str]) -> bool:
    haystack = _haystack(dataset)
    return all(matches(word, haystack) for word in words)


def facet_values(dataset: Dataset, facet: str) -> list[str]:
    if facet == "theme":
        return list(dataset.themes or [])
    if facet == "license":
        return [dataset.license] if dataset.license else []
    if facet == "format":
        return [dataset.current.format] if dataset.current else []
    if facet == "keyword":
        return list(dataset.keywords or [])
    return [dataset.publisher] if dataset.publisher else []


def _haystack(dataset: Dataset) -> str:
    """The dataset's words, folded, followed by their Dutch and English stems (so "bomen"
    is also found as "boom", "fietsen" as "fiets")."""
    parts = [dataset.slug, dataset.title, dataset.description, dataset.publisher, " ".join(dataset.keywords or [])]
    if dataset.current:
        parts += [c["name"] + " " + c["title"] for c in dataset.current.columns]
    text = fold(" ".join(parts))
    stems = {stem for word in set(WORD.findall(text)) for stem in stems_of(word)}
    return text + " " + " ".join(sorted(stems))


WORD = re.compile(r"\w+")
MIN_INSIDE = 3  # shortest search word also found inside longer words
MIN_STEM = 4  # a shorter stem ("dat" of "data") would match inside too many other words


def fold(text: str) -> str:
    """Lower case without accents: "Café" and "cafe" are the same word to a search."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


@functools.cache
def _stemmers() -> tuple:
    import snowballstemmer  # here: its word lists cost every web worker memory before any search

    return (snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("english"))


@functools.lru_cache(maxsize=65536)
def stems_of(word: str) -> frozenset[str]:
    return frozenset(s for stemmer in _stemmers() if len(s := stemmer.stemWord(word)) >= MIN_STEM) | {word}


def matches(word: str, haystack: str) -> bool:
    """A search word is found as typed (inside longer words too: "fiets" in "deelfietsen"), or
    by its Dutch or English stem ("speeltuinen" finds "speeltuin"). A word of one or two
    letters must be a whole word: inside other words it would match almost anything."""
    if len(word) < MIN_INSIDE:
        return re.search(rf"\b{re.escape(word)}\b", haystack) is not None
    return any(form in haystack for form in stems_of(word))


def search_catalogue(
    session: Session,
    actor,
    q: str = "",
    selected: dict[str, list[str]] | None = None,
    facets: tuple[str, ...] = FACETS,
) -> dict[str, Any]:
    """{"datasets": [...], "facets": {facet: [(value, count)]}} for the words in `q` and
    the chosen facet values (values of one facet are alternatives; facets combine).
    `facets` names the facets to filter and count, from FACETS and EXTRA_FACETS."""
    selected = {k: v for k, v in (selected or {}).items() if k in facets and v}
    words = WORD.findall(fold(q))
    if q.strip() and not words:
        return {"datasets": [], "facets": {facet: [] for facet in facets}}  # only punctuation: nothing to find
    matching = [d for d in visible_datasets(session, actor) if _found(d, words)]

    def chosen(dataset: Dataset, skip: str | None = None) -> bool:
        return all(
            set(facet_values(dataset, facet)) & set(values) for facet, values in selected.items() if facet != skip
        )

    counted: dict[str, list[tuple[str, int]]] = {}
    for facet in facets:
        # Each facet counts as if its own choice were not made, so alternatives stay visible.
        counts = Counter(v for d in matching if chosen(d, skip=facet) for v in facet_values(d, facet))
        counted[facet] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {"datasets": [d for d in matching if chosen(d)], "facets": counted}
