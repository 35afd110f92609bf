"""Teams and their projects in the browser, and /me ("My hackathons").

The blueprint lives here and each view module registers its routes on it (the way
hackkit/cocreation/ is wired).
"""

from flask import Blueprint

bp = Blueprint("teams", __name__)

from hackkit.teams import mine, views  # noqa: E402,F401  (routes on bp)
