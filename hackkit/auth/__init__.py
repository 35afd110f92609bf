"""Accounts in the browser: sign-up, log-in, the account page, API tokens, e-mail confirmation.

The blueprint lives here and each view module registers its routes on it (the way
hackkit/cocreation/ is wired); helpers the pages share are in pages.py.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from hackkit.auth import confirm_views, token_views, views  # noqa: E402,F401  (routes on bp)
