"""The data catalogue's pages, upload form and command line (rules live in services.datasets).

The blueprint lives here and each view module registers its routes on it (the way
hackkit/cocreation/ is wired).
"""

from flask import Blueprint

bp = Blueprint("datasets", __name__, url_prefix="/datasets")

from hackkit.datasets import manage, version_views, views  # noqa: E402,F401  (routes on bp)
