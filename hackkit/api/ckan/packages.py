"""CKAN catalogue actions: packages, resources, organizations, groups, tags, licences,
status and help. They read the catalogue services; this module only translates."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _

from hackkit.api.ckan import params, shapes
from hackkit.api.ckan.envelope import ACTIONS, action, invalid, not_found
from hackkit.extensions import db
from hackkit.models import Dataset, DatasetVersion
from hackkit.services import datasets
from hackkit.services.dataset_meta import LICENSES
from hackkit.services.errors import NotFound

CKAN_VERSION = "2.11.0"  # the CKAN release whose API shapes these actions follow


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


def slug_for(key: str) -> str:
    """The slug of a published dataset named by its package id, else the key itself (a name)."""
    if shapes.looks_like_uuid(key):
        for dataset in datasets.published_datasets(db.session):
            if shapes.package_id(dataset) == key:
                return dataset.slug
    return key


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


def _publishers() -> dict[str, list[Dataset]]:
    """Each publisher (organization) with its visible datasets."""
    members: dict[str, list[Dataset]] = {}
    for dataset in _visible():
        if dataset.publisher:
            members.setdefault(dataset.publisher, []).append(dataset)
    return members


def _themes() -> dict[str, list[Dataset]]:
    """Each theme (group) with its visible datasets."""
    members: dict[str, list[Dataset]] = {}
    for dataset in _visible():
        for theme in dataset.themes or []:
            members.setdefault(theme, []).append(dataset)
    return members


def _created(members: list[Dataset]):
    # A publisher or theme exists here from its first dataset on: CKAN's `created`.
    return min(d.created_at for d in members)


def _listing(data: dict[str, Any], members: dict[str, list[Dataset]], shape, names_key: str) -> list:
    sort = params.text(data, "sort", "name").strip().lower()
    field, _sep, direction = sort.partition(" ")
    if field not in ("name", "title", "package_count", "packages") or direction.strip() not in ("", "asc", "desc"):
        raise invalid("sort", _("Sort by name, title or package_count, then asc or desc."))
    items = [shape(key, len(found), _created(found)) for key, found in members.items()]
    wanted = params.name_list(data, names_key)
    if wanted is not None:  # only these (CKAN's `groups=` / `organizations=` filter)
        items = [item for item in items if item["name"] in wanted]
    query = params.text(data, "q").strip().lower()
    if query:
        items = [item for item in items if query in item["name"] or query in item["title"].lower()]
    key = {"packages": "package_count"}.get(field, field)
    descending = direction.strip() == "desc" or (field == "packages" and not direction)
    items.sort(key=lambda item: item[key].lower() if isinstance(item[key], str) else item[key], reverse=descending)
    offset = params.integer(data, "offset", 0)
    limit = params.integer(data, "limit", 0)
    items = items[offset : offset + limit] if limit else items[offset:]
    if params.boolean(data, "all_fields"):
        return items
    return [item["name"] for item in items]


@action("organization_list")
def organization_list(data: dict[str, Any]) -> list:
    """List organizations (the datasets' publishers). Parameters: organizations (only these
    names), q (a part of the name or title), all_fields, sort (name, title or package_count,
    asc or desc), limit, offset."""
    return _listing(data, _publishers(), shapes.organization_dict, "organizations")


@action("group_list")
def group_list(data: dict[str, Any]) -> list:
    """List groups (the EU data themes in use). Parameters: groups (only these names), q (a
    part of the name or title), all_fields, sort (name, title or package_count, asc or desc),
    limit, offset."""
    return _listing(data, _themes(), shapes.group_dict, "groups")


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
    for publisher, members in _publishers().items():
        body = shapes.organization_dict(publisher, created=_created(members))
        if key in (body["id"], body["name"]):
            return _with_packages(body, members, data)
    raise not_found(_("there is no organization %(id)s.", id=key[:100]))


def _group(key: str) -> tuple[dict[str, Any], list[Dataset]]:
    for theme, members in _themes().items():
        body = shapes.group_dict(theme, created=_created(members))
        if key in (body["id"], body["name"]):
            return body, members
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


@action("site_read")
def site_read(data: dict[str, Any]) -> bool:
    """Return true: the site may be read (CKAN's check that a portal answers)."""
    return True


@action("help_show")
def help_show(data: dict[str, Any]) -> str:
    """Return the help text of an action. Parameter: name."""
    name = params.required_id(data, "name")
    if name not in ACTIONS:
        raise not_found(_("there is no action %(name)s.", name=name[:100]))
    return " ".join((ACTIONS[name].__doc__ or "").split())
