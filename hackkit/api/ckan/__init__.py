"""A CKAN-compatible Action API (read-only) on /api/3/action/<name> and /api/action/<name>,
plus the DataStore dump at /datastore/dump/<resource_id>. See docs/api.md ("CKAN").

Like /api/v1 it is authenticated by API tokens only, never by the browser's cookies, so it
needs no CSRF token and a page elsewhere cannot use a visitor's session through it.
"""

from flask import Blueprint, redirect, url_for

from hackkit.extensions import csrf
from hackkit.ratelimits import limit_api

bp = Blueprint("ckan", __name__)
csrf.exempt(bp)
limit_api(bp)  # its /api/ paths share the API's counter; the others are exempt

from hackkit.api.ckan import datastore, envelope, packages, search  # noqa: E402,F401  (actions register themselves)


# The last decorator registers first, and url_for (the `help` links) uses that one.
@bp.route("/api/action/<name>", methods=["GET", "POST"])
@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
def action(name: str):
    return envelope.dispatch(name)


@bp.route("/dataset/<name>")
def dataset_page(name: str):
    """CKAN's dataset address (`/dataset/<name or id>`, what harvesters save as the source
    link): a redirect to the dataset's page, which decides who may see it."""
    return redirect(url_for("datasets.detail", slug=packages.slug_for(name)), code=302)


@bp.errorhandler(429)
def too_many_requests(error):
    """CKAN clients read every answer of the Action API as its envelope, a 429 too."""
    return envelope.rate_limited(error)
