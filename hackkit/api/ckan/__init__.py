"""A CKAN-compatible Action API (read-only) on /api/3/action/<name> and /api/action/<name>,
plus the DataStore dump at /datastore/dump/<resource_id>. See docs/api.md ("CKAN").

Like /api/v1 it is authenticated by API tokens only, never by the browser's cookies, so it
needs no CSRF token and a page elsewhere cannot use a visitor's session through it.
"""

from flask import Blueprint

from hackkit.extensions import csrf

bp = Blueprint("ckan", __name__)
csrf.exempt(bp)

from hackkit.api.ckan import datastore, envelope, packages  # noqa: E402,F401  (actions register themselves)


# The last decorator registers first, and url_for (the `help` links) uses that one.
@bp.route("/api/action/<name>", methods=["GET", "POST"])
@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
def action(name: str):
    return envelope.dispatch(name)
