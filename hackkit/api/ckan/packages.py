"""CKAN catalogue actions: packages, resources, organizations, groups, tags, licences,
status and help. They read the catalogue services; this module only translates."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from flask import g, request
from flask_babel import gettext as _

from hackkit.api.ckan import params, shapes
from hackkit.api.ckan.envelope import ACTIONS, action, invalid, not_found
from hackkit.extensions import db
from hackkit.models import Dataset, DatasetVersion
from hackkit.services import catalogue, datasets
from hackkit.services.dataset_meta import LICENSES, THEMES
from hackkit.services.errors import NotFound

CKAN_VERSION = "2.11.0"  # the CKAN release whose API shapes these actions follow
MAX_ROWS = 1000  # CKAN's default ckan.search.rows_max
# fq/q fields -> the catalogue facet they select (res_format is ours alone: every resource is CSV).
FILTER_FIELDS = {"organization": "publisher", "groups": "theme", "tags": "keyword", "license_id": "license"}
IGNORED_FIELDS = {"dataset_type", "capacity", "state", "type"}  # constant for us; CKAN's own UI sends them
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
SORTS = {
    "name": lambda d: d.slug,
    "title_string": lambda d: d.title.lower(),
    "metadata_modified": lambda d: shapes.modified(d),
    "metadata_created": lambda d: d.created_at,
}
TERM = re.compile(r'([+-]?)([A-Za-z_.]+):("[^"]*"|\S+)')


def _visible(include_drafts: bool = False) -> list[Dataset]:
    found = datasets.visible_datasets(db.session, g.ckan_user)
    return [d for d in found if d.status == "published" or include_drafts]


def _find_package(key: str) -> Dataset:
    """A package by name (slug) or id; drafts are absent for those who may not see them."""
    if shapes.looks_like_uuid(key):
        for dataset in datasets.visible_datasets(db.session, g.ckan_user):
            if shapes.package_id(dataset) == key:
                return dataset
    return datasets.get_dataset(db.session, g.ckan_user, key)


def find_resource(key: str) -> tuple[Dataset, DatasetVersion]:
    """A resource by its id, or by a dataset's name as an alias of its current data (as
    DataStore aliases are in CKAN)."""
    if shapes.looks_like_uuid(key):
        for dataset in datasets.visible_datasets(db.session, g.ckan_user):
            for version in dataset.public_versions_current_first:
                if shapes.resource_id(dataset, version) == key:
                    return dataset, version
    try:
        dataset = datasets.get_dataset(db.session, g.ckan_user, key)
    except NotFound:
        dataset = None
    if dataset is not None and dataset.current:
        return dataset, dataset.current
    raise not_found(_("there is no resource %(id)s.", id=key[:100]))


@action("package_list")
def package_list(data: dict[str, Any]) -> list[str]:
    """Return the names of the site's public datasets, sorted. Parameters: limit, offset."""
    offset = params.integer(data, "offset", 0)
    limit = params.integer(data, "limit", 0)
    names = sorted(d.slug for d in _visible())
    return names[offset : offset + limit] if limit else names[offset:]


@action("package_show")
def package_show(data: dict[str, Any]) -> dict[str, Any]:
    """Return one dataset (package) with its resources. Parameter: id (the id or the name)."""
    return shapes.package_dict(_find_package(params.required_id(data)))


@action("resource_show")
def resource_show(data: dict[str, Any]) -> dict[str, Any]:
    """Return one resource (a version of a dataset's data). Parameter: id."""
    dataset, version = find_resource(params.required_id(data))
    position = dataset.public_versions_current_first.index(version)
    return shapes.resource_dict(dataset, version, position)


def _selection(data: dict[str, Any]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Words to search, catalogue facet values and res_format values from q and fq."""
    words: list[str] = []
    selected: dict[str, list[str]] = {}
    formats: list[str] = []
    for key in ("q", "fq"):
        source = params.text(data, key).strip()
        if source in ("*:*", ""):
            continue
        rest = source
        for sign, field, raw in TERM.findall(source):
            rest = rest.replace(f"{sign}{field}:{raw}", " ", 1)
            value = raw.strip('"')
            if sign == "-":
                raise invalid(key, _("Negated filters (-field:value) are not supported."))
            if field in IGNORED_FIELDS:
                continue
            if field == "res_format":
                formats.append(value.upper())
            elif field in FILTER_FIELDS:
                # Group names are theme codes in lower case (shapes.group_name).
                selected.setdefault(FILTER_FIELDS[field], []).append(value.upper() if field == "groups" else value)
            elif field in ("name", "text"):
                words.append(value)
            else:
                raise invalid(key, _("Unknown search field %(field)s.", field=field[:40]))
        if key == "fq" and rest.replace("AND", " ").strip():
            raise invalid("fq", _("fq takes field:value terms, like organization:city-of-antwerp."))
        words += [w for w in rest.split() if w not in ("AND", "*:*")]
    return words, selected, formats


def _publishers_for(names: list[str]) -> list[str]:
    publishers = {shapes.organization_name(d.publisher): d.publisher for d in _visible() if d.publisher}
    return [publishers.get(n, "\0" + n) for n in names]  # an unknown name matches nothing


def _facet_values(dataset: Dataset, field: str) -> list[tuple[str, str]]:
    """(name, display name) of a dataset for one CKAN facet field."""
    if field == "organization":
        return [(shapes.organization_name(dataset.publisher), dataset.publisher)] if dataset.publisher else []
    if field == "groups":
        return [(shapes.group_name(t), THEMES.get(t, t)) for t in catalogue.facet_values(dataset, "theme")]
    if field == "tags":
        return [(k, k) for k in catalogue.facet_values(dataset, "keyword")]
    if field == "license_id":
        return [(k, LICENSES.get(k, (k, ""))[0]) for k in catalogue.facet_values(dataset, "license")]
    return [("CSV", "CSV")] if dataset.current else []


def _facets(found: list[Dataset], fields: list[str], limit: int, mincount: int) -> tuple[dict, dict]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for field in fields:
        counts: Counter = Counter()
        labels: dict[str, str] = {}
        for dataset in found:
            for name, label in _facet_values(dataset, field):
                counts[name] += 1
                labels[name] = label
        ranked = [(n, c) for n, c in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if c >= mincount]
        ranked = ranked[:limit] if limit >= 0 else ranked
        facets[field] = dict(ranked)
        items = [{"name": n, "display_name": labels[n], "count": c} for n, c in ranked]
        search_facets[field] = {"title": field, "items": items}
    return facets, search_facets


def _sorted(found: list[Dataset], sort: str) -> list[Dataset]:
    clauses = [c.split() for c in sort.split(",") if c.strip()]
    # Stable sorts applied from the last key to the first give a multi-key order.
    for clause in reversed(clauses):
        field, direction = clause[0], (clause[1].lower() if len(clause) > 1 else "asc")
        if direction not in ("asc", "desc") or len(clause) > 2:
            raise invalid("sort", _("Sort by a field name and asc or desc, like metadata_modified desc."))
        if field == "score":
            continue  # no relevance score: the catalogue's own order stands
        if field not in SORTS:
            raise invalid(
                "sort",
                _(
                    "Cannot sort by %(field)s; use one of: %(names)s.",
                    field=field[:40],
                    names=", ".join(["score", *SORTS]),
                ),
            )
        found = sorted(found, key=SORTS[field], reverse=direction == "desc")
    return found


@action("package_search")
def package_search(data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. Parameters: q, fq (organization:, groups:, tags:, res_format:,
    license_id:), rows (default 10, at most 1000), start, sort, facet.field (a JSON list),
    facet.limit, facet.mincount, include_drafts."""
    rows = params.integer(data, "rows", 10, high=MAX_ROWS)
    start = params.integer(data, "start", 0)
    sort = params.text(data, "sort", "score desc, metadata_modified desc")
    facet_fields = params.name_list(data, "facet.field") or []
    unknown = [f for f in facet_fields if f not in FACET_FIELDS]
    if unknown:
        raise invalid(
            "facet.field",
            _("Cannot count %(field)s; use: %(names)s.", field=unknown[0][:40], names=", ".join(FACET_FIELDS)),
        )
    facet_limit = params.text(data, "facet.limit", "50").strip()
    if not re.fullmatch(r"-1|\d+", facet_limit):
        raise invalid("facet.limit", _("facet.limit takes a whole number (-1 for all)."))
    mincount = params.integer(data, "facet.mincount", 1)
    include_drafts = params.boolean(data, "include_drafts") and datasets.can_see_drafts(g.ckan_user)
    params.boolean(data, "include_private")

    words, selected, formats = _selection(data)
    if "publisher" in selected:
        selected["publisher"] = _publishers_for(selected["publisher"])
    found = catalogue.search_catalogue(
        db.session, g.ckan_user, " ".join(words), selected, facets=(*catalogue.FACETS, *catalogue.EXTRA_FACETS)
    )["datasets"]
    found = [d for d in found if d.status == "published" or include_drafts]
    if formats:
        found = [d for d in found if d.current and "CSV" in formats]
    found = _sorted(found, sort)
    facets, search_facets = _facets(found, facet_fields, int(facet_limit), mincount)
    return {
        "count": len(found),
        "sort": sort,
        "facets": facets,
        "search_facets": search_facets,
        "results": [shapes.package_dict(d) for d in found[start : start + rows]],
    }


def _publishers() -> Counter:
    return Counter(d.publisher for d in _visible() if d.publisher)


def _themes() -> Counter:
    return Counter(t for d in _visible() for t in d.themes or [])


def _listing(data: dict[str, Any], counts: Counter, shape) -> list:
    sort = params.text(data, "sort", "name").strip().lower()
    field, _sep, direction = sort.partition(" ")
    if field not in ("name", "title", "package_count", "packages") or direction.strip() not in ("", "asc", "desc"):
        raise invalid("sort", _("Sort by name, title or package_count, then asc or desc."))
    items = [shape(key, count) for key, count in counts.items()]
    key = {"packages": "package_count"}.get(field, field)
    descending = direction.strip() == "desc" or (field == "packages" and not direction)
    items.sort(key=lambda item: item[key], reverse=descending)
    offset = params.integer(data, "offset", 0)
    limit = params.integer(data, "limit", 0)
    items = items[offset : offset + limit] if limit else items[offset:]
    if params.boolean(data, "all_fields"):
        return items
    return [item["name"] for item in items]


@action("organization_list")
def organization_list(data: dict[str, Any]) -> list:
    """List organizations (the datasets' publishers). Parameters: all_fields, sort, limit, offset."""
    return _listing(data, _publishers(), shapes.organization_dict)


@action("group_list")
def group_list(data: dict[str, Any]) -> list:
    """List groups (the EU data themes in use). Parameters: all_fields, sort, limit, offset."""
    return _listing(data, _themes(), shapes.group_dict)


def _with_packages(body: dict[str, Any], members: list[Dataset], data: dict[str, Any]) -> dict[str, Any]:
    body.update(
        {"package_count": len(members), "num_followers": 0, "extras": [], "tags": [], "groups": [], "users": []}
    )
    if params.boolean(data, "include_datasets", False):
        body["packages"] = [shapes.package_dict(d) for d in members[:1000]]
    return body


@action("organization_show")
def organization_show(data: dict[str, Any]) -> dict[str, Any]:
    """Return one organization (publisher). Parameters: id (its id or name), include_datasets."""
    key = params.required_id(data)
    for publisher in _publishers():
        body = shapes.organization_dict(publisher)
        if key in (body["id"], body["name"]):
            return _with_packages(body, [d for d in _visible() if d.publisher == publisher], data)
    raise not_found(_("there is no organization %(id)s.", id=key[:100]))


def _group(key: str) -> tuple[dict[str, Any], list[Dataset]]:
    for theme in _themes():
        body = shapes.group_dict(theme)
        if key in (body["id"], body["name"]):
            return body, [d for d in _visible() if theme in (d.themes or [])]
    raise not_found(_("there is no group %(id)s.", id=key[:100]))


@action("group_show")
def group_show(data: dict[str, Any]) -> dict[str, Any]:
    """Return one group (EU data theme). Parameters: id (its id or name), include_datasets."""
    body, members = _group(params.required_id(data))
    return _with_packages(body, members, data)


@action("group_package_show")
def group_package_show(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the datasets of a group, newest change first. Parameters: id, limit."""
    _body, members = _group(params.required_id(data))
    limit = params.integer(data, "limit", 0)
    members = sorted(members, key=shapes.modified, reverse=True)
    return [shapes.package_dict(d) for d in (members[:limit] if limit else members)]


@action("tag_list")
def tag_list(data: dict[str, Any]) -> list:
    """List the keywords of public datasets. Parameters: query (a part of the name), all_fields."""
    query = params.text(data, "query").lower()
    names = sorted({k for d in _visible() for k in d.keywords or [] if query in k.lower()})
    if params.boolean(data, "all_fields"):
        return [shapes.tag_dict(n) for n in names]
    return names


@action("license_list")
def license_list(data: dict[str, Any]) -> list[dict[str, Any]]:
    """List the licences a dataset can have."""
    return [shapes.license_dict(key) for key in LICENSES]


@action("status_show")
def status_show(data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's name, address, CKAN API version and extensions."""
    return {
        "site_title": "hackkit",
        "site_description": _("Open city data of the hackathon hub"),
        "site_url": request.host_url.rstrip("/"),
        "error_emails_to": None,
        "locale_default": "en",
        "extensions": ["datastore"],
        "ckan_version": CKAN_VERSION,
    }


@action("help_show")
def help_show(data: dict[str, Any]) -> str:
    """Return the help text of an action. Parameter: name."""
    name = params.required_id(data, "name")
    if name not in ACTIONS:
        raise not_found(_("there is no action %(name)s.", name=name[:100]))
    return " ".join((ACTIONS[name].__doc__ or "").split())
