"""Atom feeds of an event's announcements and projects and of the datasets, and share images."""

from __future__ import annotations

from flask import Response, current_app, send_file, url_for
from flask_babel import gettext as _

from hackkit.extensions import db
from hackkit.feeds import atom, bp
from hackkit.feeds.share import plain_summary
from hackkit.feeds.share_image import cached_image
from hackkit.services import feeds, file_store

ATOM = "application/atom+xml; charset=utf-8"
SHARE_KINDS = "<any(event, project, dataset, proposal):kind>"


def _atom_response(feed) -> Response:
    response = Response(atom.as_response_body(feed), content_type=ATOM)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/events/<slug>/announcements.atom")
def announcements(slug: str):
    event, items = feeds.announcements(db.session, slug)
    page = url_for("events.detail", slug=event.slug, _external=True)
    feed = atom.new_feed(
        _("Announcements of %(name)s", name=event.name),
        "feeds.announcements",
        page,
        event.tagline,
        items[0].created_at if items else event.created_at,
        slug=event.slug,
    )
    for item in items:
        entry_id = url_for("events.detail", slug=event.slug, _anchor=f"announcement-{item.id}", _external=True)
        title = plain_summary(item.body.strip().splitlines()[0], 120) if item.body.strip() else event.name
        atom.add_entry(feed, entry_id, title, entry_id, item.body, item.created_at)
    return _atom_response(feed)


@bp.route("/events/<slug>/projects.atom")
def projects(slug: str):
    event, shown = feeds.new_projects(db.session, slug)
    page = url_for("events.gallery", slug=event.slug, _external=True)
    updated = shown[0].published if shown else event.created_at
    title = _("Projects of %(name)s", name=event.name)
    feed = atom.new_feed(title, "feeds.projects", page, event.tagline, updated, slug=event.slug)
    for project in shown:
        link = url_for("teams.project", team_id=project.submission.team_id, _external=True)
        content = project.content
        body = "\n\n".join(part for part in (content.get("tagline"), content.get("description")) if part)
        title = content.get("title") or project.submission.team.name
        atom.add_entry(feed, link, title, link, body, project.published)
    return _atom_response(feed)


@bp.route("/datasets.atom")
def datasets():
    found = feeds.datasets(db.session)
    page = url_for("datasets.index", _external=True)
    updated = feeds.dataset_changed(found[0]) if found else None
    feed = atom.new_feed(_("Open data"), "feeds.datasets", page, _("New and updated datasets"), updated)
    for dataset in found:
        link = url_for("datasets.detail", slug=dataset.slug, _external=True)
        changed = feeds.dataset_changed(dataset)
        atom.add_entry(feed, link, dataset.title, link, dataset.description, dataset.created_at, changed)
    return _atom_response(feed)


@bp.route("/feedback.atom")
def data_feedback():
    found = feeds.data_feedback(db.session)
    page = url_for("cocreation.feedback_index", _external=True)
    updated = feeds.feedback_changed(found[0]) if found else None
    feed = atom.new_feed(_("Data feedback and requests"), "feeds.data_feedback", page, "", updated)
    for item in found:
        link = url_for("cocreation.feedback_detail", feedback_id=item.id, _external=True)
        body = item.body
        if item.answer:
            body = f"{body}\n\n**{_('Answer')}:** {item.answer}"
        title = f"{item.dataset.title}: {item.title}" if item.dataset else item.title
        atom.add_entry(feed, link, title, link, body, item.created_at, feeds.feedback_changed(item))
    return _atom_response(feed)


@bp.route("/events/<slug>/proposals.atom")
def resident_proposals(slug: str):
    event, found = feeds.resident_proposals(db.session, slug)
    page = url_for("cocreation.proposal_index", slug=event.slug, _external=True)
    updated = found[0].created_at if found else event.created_at
    title = _("Resident proposals for %(name)s", name=event.name)
    feed = atom.new_feed(title, "feeds.resident_proposals", page, "", updated, slug=event.slug)
    for proposal in found:
        link = url_for("cocreation.proposal_detail", slug=event.slug, proposal_id=proposal.id, _external=True)
        atom.add_entry(feed, link, proposal.title, link, proposal.description, proposal.created_at)
    return _atom_response(feed)


@bp.route(f"/share/{SHARE_KINDS}/<key>.png")
def share_image(kind: str, key: str):
    card = feeds.share_card(db.session, kind, key)
    path = cached_image(
        card,
        current_app.instance_path,
        lambda name: file_store.read_bytes(db.session, file_store.of_screenshot(name)),
    )
    # The address stays the same when the page changes, so caches keep it an hour, not forever.
    response = send_file(path, mimetype="image/png", max_age=3600, conditional=True, etag=True)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
