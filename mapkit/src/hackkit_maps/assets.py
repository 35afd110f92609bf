"""Leaflet and its plugins served from this machine instead of a CDN.

Folium writes CDN links into every map page: its asset lists are class attributes
shared by the whole process, and a few templates (branca's colormap, the time
plugins) hard-code more. Rather than mutate those lists, we render a map as usual
and rewrite the finished HTML: every external <script>/<link>/<img> URL is looked up
in CDN_REWRITES and pointed at a local copy, dropped when a map does not need it,
or refused with UnservedAsset so that nothing leaves the machine by accident.

The local copies come from installed packages, never from the repository:
- PyPI: the XStatic wheels (Leaflet, markercluster, jQuery, jQuery UI, Font Awesome,
  d3 v3, moment) and the plugin files folium ships itself (heat map);
- the npm registry, when this kit is built: the plugins and d3 v4 that no Python
  package ships (package.json beside this file; npm.py puts them in npm_modules/,
  checksum-verified, and the wheel carries them);
- this kit itself: static/, our own small scripts (the tile fallback).

To add a plugin: its files to LIBRARIES (an npm package also to package.json, then
reinstall the kit) and its CDN URL to CDN_REWRITES.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import mimetypes
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import npm

HERE = Path(__file__).resolve().parent


class UnservedAsset(ValueError):
    """A map wants a file from another server that we have no local copy of."""

    def __init__(self, url: str, hint: str | None = None):
        hint = hint or (
            "serve it from this server instead; for a plugin's file, add it to CDN_REWRITES and LIBRARIES "
            "in hackkit_maps/assets.py (the hackkit-maps package; see its README, 'Adding a plugin')"
        )
        super().__init__(f"no local copy of {url}: {hint}")
        self.url = url


def _xstatic(module: str) -> Callable[[], Path | None]:
    def locate() -> Path | None:
        try:
            return Path(importlib.import_module(f"xstatic.pkg.{module}").BASE_DIR)
        except ImportError:
            return None

    return locate


def _npm(package: str) -> Callable[[], Path | None]:
    return lambda: npm.modules_dir() / package


def _folium_templates() -> Path | None:
    try:
        import folium
    except ImportError:
        return None
    return Path(folium.__file__).parent / "templates"


def _kit_static() -> Path:
    return HERE / "static"


@dataclass(frozen=True)
class Library:
    source: str  # where it comes from, for docs and error messages
    locate: Callable[[], Path | None]  # the installed folder, or None when not installed
    files: tuple[str, ...]  # glob patterns inside that folder: only these are served


# URL prefix (first path segment under the assets route) -> installed files.
# Files keep their relative layout, so relative url(...) in the CSS keeps working.
LIBRARIES: dict[str, Library] = {
    "hackkit-maps": Library("hackkit-maps (its own static/ folder)", _kit_static, ("*.js", "*.css")),
    "leaflet": Library("PyPI XStatic-Leaflet", _xstatic("leaflet"), ("leaflet.js", "leaflet.css", "images/*.png")),
    "leaflet-markercluster": Library(
        "PyPI XStatic-Leaflet-MarkerCluster",
        _xstatic("leaflet_markercluster"),
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
    "jquery": Library("PyPI XStatic-jQuery", _xstatic("jquery"), ("jquery.min.js",)),
    "jquery-ui": Library("PyPI XStatic-jquery-ui", _xstatic("jquery_ui"), ("jquery-ui.min.js",)),
    "font-awesome": Library(
        "PyPI XStatic-Font-Awesome", _xstatic("font_awesome"), ("css/all.min.css", "webfonts/*.woff2", "webfonts/*.ttf")
    ),
    "d3": Library("PyPI XStatic-D3 (v3, for branca's colormap legend)", _xstatic("d3"), ("d3.js",)),
    "d3v4": Library("npm d3@4 (alias d3v4)", _npm("d3v4"), ("build/d3.min.js",)),
    "moment": Library("PyPI XStatic-moment", _xstatic("moment"), ("moment.min.js",)),
    "folium": Library("PyPI folium (files it ships)", _folium_templates, ("*.js",)),
    "bootstrap": Library(
        "npm bootstrap", _npm("bootstrap"), ("dist/css/bootstrap.min.css", "dist/js/bootstrap.bundle.min.js")
    ),
    # Only the glyph font, which the time-slider control's CSS asks a CDN for.
    "bootstrap3": Library("npm bootstrap@3 (alias bootstrap3)", _npm("bootstrap3"), ("dist/fonts/*",)),
    "awesome-markers": Library(
        "npm leaflet.awesome-markers",
        _npm("leaflet.awesome-markers"),
        ("dist/leaflet.awesome-markers.js", "dist/leaflet.awesome-markers.css", "dist/images/*.png"),
    ),
    "fullscreen": Library(
        "npm leaflet.fullscreen",
        _npm("leaflet.fullscreen"),
        ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
    ),
    "timedimension": Library(
        "npm leaflet-timedimension",
        _npm("leaflet-timedimension"),
        ("dist/leaflet.timedimension.min.js", "dist/leaflet.timedimension.control.css"),
    ),
    "iso8601": Library("npm iso8601-js-period", _npm("iso8601-js-period"), ("iso8601.js",)),
    "leaflet-search": Library(
        "npm leaflet-search",
        _npm("leaflet-search"),
        ("dist/leaflet-search.min.js", "dist/leaflet-search.min.css", "images/*.png", "images/*.gif"),
    ),
}


def npm_patterns() -> dict[str, tuple[str, ...]]:
    """npm folder -> the file patterns served from it (the build keeps only those)."""
    return {
        library.locate().name: library.files
        for library in LIBRARIES.values()
        if library.source.startswith("npm ") and library.locate() is not None
    }


_V = r"[\d.]+"  # any version number: the rules must survive folium bumping a version

# External URL as folium/branca write it (regex, searched) -> local asset path, or None
# to drop the tag. Checked in order; the first match wins.
CDN_REWRITES: tuple[tuple[str, str | None], ...] = (
    # Our own scripts, named by a made-up address so that they are served like the rest.
    (r"^https://hackkit-maps\.invalid/([\w.-]+\.js)$", r"hackkit-maps/\1"),
    (rf"/leaflet@{_V}/dist/leaflet\.js$", "leaflet/leaflet.js"),
    (rf"/leaflet@{_V}/dist/leaflet\.css$", "leaflet/leaflet.css"),
    (
        rf"/leaflet\.markercluster/{_V}/leaflet\.markercluster(-src)?\.js$",
        "leaflet-markercluster/leaflet.markercluster.js",
    ),
    (rf"/leaflet\.markercluster/{_V}/(MarkerCluster(\.Default)?\.css)$", r"leaflet-markercluster/\1"),
    (rf"(/jquery-{_V}|/jquery/{_V}/jquery)(\.min)?\.js$", "jquery/jquery.min.js"),
    (rf"/jqueryui/{_V}/jquery-ui(\.min)?\.js$", "jquery-ui/jquery-ui.min.js"),
    (rf"/bootstrap@5{_V}/dist/js/bootstrap\.bundle\.min\.js$", "bootstrap/dist/js/bootstrap.bundle.min.js"),
    (rf"/bootstrap@5{_V}/dist/css/bootstrap\.min\.css$", "bootstrap/dist/css/bootstrap.min.css"),
    # Bootstrap 3's stand-alone glyphicons sheet is in no package. Only folium.Icon's
    # default glyph uses it; icons with prefix="fa" use Font Awesome, which we serve.
    (r"/bootstrap-glyphicons\.css$", None),
    # folium < 0.17 also adds Bootstrap 3's whole stylesheet over Bootstrap 5's; 0.17 dropped it.
    (r"//netdna\.bootstrapcdn\.com/bootstrap/3[\d.]*/css/bootstrap(\.min)?\.css$", None),
    (rf"/fontawesome-free@{_V}/css/all(\.min)?\.css$", "font-awesome/css/all.min.css"),
    (
        rf"/Leaflet\.awesome-markers/{_V}/leaflet\.awesome-markers(\.min)?\.js$",
        "awesome-markers/dist/leaflet.awesome-markers.js",
    ),
    (
        rf"/Leaflet\.awesome-markers/{_V}/leaflet\.awesome-markers\.css$",
        "awesome-markers/dist/leaflet.awesome-markers.css",
    ),
    # folium's own rotation rules for Icon(angle=...), published on a CDN but not in its wheel.
    (r"/leaflet\.awesome\.rotate(\.min)?\.css$", None),
    (r"/folium/templates/(leaflet_heat|pa7_hm|pa7_leaflet_hm)\.min\.js$", r"folium/\1.min.js"),
    (rf"/leaflet\.fullscreen@{_V}/Control\.FullScreen(\.min)?\.js$", "fullscreen/Control.FullScreen.js"),
    (rf"/leaflet\.fullscreen@{_V}/Control\.FullScreen\.css$", "fullscreen/Control.FullScreen.css"),
    (rf"/iso8601-js-period@{_V}/iso8601(\.min)?\.js$", "iso8601/iso8601.js"),
    (
        rf"/leaflet-timedimension@{_V}/dist/leaflet\.timedimension(\.min)?\.js$",
        "timedimension/dist/leaflet.timedimension.min.js",
    ),
    (
        rf"/leaflet-timedimension@{_V}/dist/leaflet\.timedimension\.control(\.min)?\.css$",
        "timedimension/dist/leaflet.timedimension.control.css",
    ),
    (rf"/moment\.js/{_V}/moment(\.min)?\.js$", "moment/moment.min.js"),
    # Code-highlighting styles the time plugins add; nothing on a map uses them.
    (r"/highlight\.js/.*\.css$", None),
    (rf"(/d3/3{_V}/d3|//d3js\.org/d3\.v3)(\.min)?\.js$", "d3/d3.js"),
    (rf"(/d3/4{_V}/d3|//d3js\.org/d3\.v4)(\.min)?\.js$", "d3v4/build/d3.min.js"),
    (rf"/leaflet-search@{_V}/dist/leaflet-search(\.min)?\.js$", "leaflet-search/dist/leaflet-search.min.js"),
    (rf"/leaflet-search@{_V}/dist/leaflet-search(\.min)?\.css$", "leaflet-search/dist/leaflet-search.min.css"),
    # The time-slider control's CSS loads Bootstrap 3's glyph font from a CDN.
    (
        r"//netdna\.bootstrapcdn\.com/bootstrap/3[\d.]*/fonts/(glyphicons-halflings-regular\.\w+)",
        r"bootstrap3/dist/fonts/\1",
    ),
)
_REWRITES = tuple((re.compile(pattern), target) for pattern, target in CDN_REWRITES)

EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


def local_asset(url: str) -> str | None:
    """The local asset path for an external URL, None to leave it out; UnservedAsset otherwise."""
    for pattern, target in _REWRITES:
        match = pattern.search(url)
        if match:
            return None if target is None else match.expand(target)
    raise UnservedAsset(url)


@cache
def served_files() -> dict[str, Path]:
    """The whitelist: asset path -> file. Nothing outside it is ever served."""
    files: dict[str, Path] = {}
    for prefix, library in LIBRARIES.items():
        root = library.locate()
        if root is None or not root.is_dir():
            continue  # not installed: a map that needs it fails to render, naming it
        for pattern in library.files:
            for path in sorted(root.glob(pattern)):
                if path.is_file():
                    files[f"{prefix}/{path.relative_to(root).as_posix()}"] = path
    return files


@cache
def _fingerprint(asset: str) -> str:
    # A short content hash in the URL lets browsers cache the file for a year and
    # still fetch the new one after a package upgrade.
    return hashlib.sha256(served_files()[asset].read_bytes()).hexdigest()[:12]


def asset_url(asset: str, base: str) -> str:
    if asset not in served_files():
        library = LIBRARIES.get(asset.split("/", 1)[0])
        source = library.source if library else "?"
        raise UnservedAsset(asset, f"it comes from {source}, which is not installed (reinstall hackkit-maps)")
    return f"{base.rstrip('/')}/{asset}?v={_fingerprint(asset)}"


# <script src>, <link href> and <img src>, with a closing </script> when there is one,
# so a dropped script leaves no empty element behind.
_TAG = re.compile(
    r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*(?P<q>["'])(?P<url>.*?)(?P=q)[^>]*>(?:\s*</script>)?""",
    re.IGNORECASE | re.DOTALL,
)


def localize_html(html: str, base: str = "/maps/assets") -> str:
    """Point every external script, stylesheet and image of a page at `base`.

    Raises UnservedAsset for an external URL we have no copy of. A file included
    twice (folium adds jQuery under two names) is kept once: loading it again
    would discard the plugins attached to the first copy.
    """
    seen: set[str] = set()

    def replace(match: re.Match) -> str:
        url = match["url"]
        if not EXTERNAL.match(url):
            return match[0]
        asset = local_asset(url)
        if asset is None or asset in seen:
            return ""
        seen.add(asset)
        local = asset_url(asset, base)
        return match[0].replace(f"{match['q']}{url}{match['q']}", f"{match['q']}{local}{match['q']}", 1)

    return _TAG.sub(replace, html)


_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""")


@cache
def asset_text(asset: str) -> str:
    """A served CSS file, with any external url(...) pointed at our copy, relative to it."""
    text = served_files()[asset].read_text(encoding="utf-8")
    folder = posixpath.dirname(asset)

    def replace(match: re.Match) -> str:
        url = match["url"]
        if not EXTERNAL.match(url):
            return match[0]
        target = local_asset(url)
        if target is None:
            return 'url("data:,")'
        return f"url({match['q']}{posixpath.relpath(target, folder)}{match['q']})"

    return _CSS_URL.sub(replace, text)


# Types the standard mimetypes table does not know everywhere.
_MEDIA_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
}
_FALLBACK_FONTS = (".ttf", ".eot")
_LOCAL_TAG = re.compile(r"""<(?P<tag>script|link)\b[^>]*?\b(?:src|href)="(?P<url>[^"]+)"[^>]*>(?:\s*</script>)?""")


def _data_uri(asset: str) -> str:
    path = served_files()[asset]
    media = _MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{media};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _css_with_data_uris(asset: str) -> str:
    folder = posixpath.dirname(asset)

    def embed(match: re.Match) -> str:
        ref = match["url"].split("?")[0].split("#")[0]
        target = posixpath.normpath(posixpath.join(folder, ref))
        if ref.startswith("data:") or target not in served_files():
            return match[0]  # data: already, or an IE-only hack like url(#default#VML)
        if target.endswith(_FALLBACK_FONTS) or (target.endswith(".svg") and "/fonts/" in target):
            # Browsers take the WOFF2/WOFF listed before these; copying them would triple the file.
            return 'url("data:,")'
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(embed, asset_text(asset))


def inline_assets(html: str, base: str = "/maps/assets") -> str:
    """One self-contained file: each local script and stylesheet copied into the page.

    For `app.py --html OUT`: the file opens from disk, on any machine, with no
    server and no network. Images and fonts in the CSS become data: URIs.
    """
    prefix = base.rstrip("/") + "/"

    def inline(match: re.Match) -> str:
        url = match["url"]
        if not url.startswith(prefix):
            return match[0]
        asset = url[len(prefix) :].split("?")[0]
        if asset not in served_files():
            raise UnservedAsset(url)
        if match["tag"] == "script":
            # "</script" inside the code would end the element early.
            code = served_files()[asset].read_text(encoding="utf-8").replace("</script", "<\\/script")
            return f"<script>{code}</script>"
        return f"<style>{_css_with_data_uris(asset)}</style>"

    return _LOCAL_TAG.sub(inline, html)
