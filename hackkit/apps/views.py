"""The sample-app gallery: /apps, /apps/<name>, its live preview, screenshot and download.

The preview is the app's own `render()`, run inside the hub: its data comes from this
hub's API, called in-process through the test client (no HTTP request to ourselves,
which would deadlock a single-threaded server), and its scripts from /maps/assets.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file
from flask_babel import gettext
from hackkit_maps.dist import cached_wheel
from hackkit_maps.hubdata import Hub, HubUnavailable
from hackkit_maps.serve import map_response
from werkzeug.exceptions import NotFound as HTTPNotFound

from hackkit.apps import gallery
from hackkit.markup import render_markdown

bp = Blueprint("apps", __name__, url_prefix="/apps")


@bp.context_processor
def _markdown():
    return {"render_markdown": render_markdown, "in_language": in_language, "readme_in_language": readme_in_language}


def in_language(text: str) -> str:
    """An app's own English text (title, summary, what it shows) in the page's language when the
    hub's catalogue has it; the apps keep one language, so they stay easy to copy and change."""
    return gettext(text) if text else text


# A README's intro line: a sentence, then perhaps its screenshot ("... ![alt](screenshot.png)").
README_LINE = re.compile(r"^(?P<text>.*?)(?P<image> ?!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\))?$")


def readme_in_language(readme: str) -> tuple[str, str]:
    """The README with its intro (the lines before the first "## " section: title, how to start,
    the screenshot's description) in the page's language where the catalogue has them, and the
    language of the rest, which stays as written ("en")."""
    lines = readme.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("## "):
            break
        if line.startswith("# "):
            lines[number] = "# " + in_language(line[2:])
        elif line and not line.startswith("    "):  # code stays code
            found = README_LINE.match(line)
            image = f" ![{in_language(found['alt'])}]({found['src']})" if found["image"] else ""
            lines[number] = in_language(found["text"]) + image
    return "\n".join(lines), "en"


@bp.get("")
def index():
    return render_template("apps/index.html", apps=gallery.list_apps())


@bp.get("/<name>")
def detail(name: str):
    return render_template("apps/detail.html", app=gallery.get_app(name))


def _in_process_get(path: str):
    """GET an API path from this hub without leaving the process (the preview's data source)."""
    answer = current_app.test_client().get(path, headers={"Accept": "application/json"})
    if answer.status_code != 200 or not answer.is_json:
        raise HubUnavailable(f"{path} answered {answer.status_code}")
    return answer.get_json()


@bp.get("/<name>/preview")
def preview(name: str):
    app = gallery.get_app(name)
    tiles = current_app.config["HACKKIT_TILES"]
    hub = Hub(request.url_root, extract_dir=app.folder / "data", get=_in_process_get)
    html = app.module.render(hub, asset_base=request.script_root + "/maps/assets", tiles=tiles)
    return map_response(html, tiles)


@bp.get("/<name>/screenshot.png")
def screenshot(name: str):
    app = gallery.get_app(name)
    if app.screenshot is None:
        raise HTTPNotFound()
    return send_file(app.screenshot, mimetype="image/png", max_age=3600)


@bp.get("/<name>.zip")
def download(name: str):
    app = gallery.get_app(name)
    # The kit's wheel is packed once per kit content and kept in the instance folder.
    wheel = cached_wheel(Path(current_app.instance_path) / "app-wheels")
    return Response(
        gallery.zip_app(app, wheel, hub_url=request.url_root),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{app.name}.zip"'},
    )
