"""Where a sample app gets its data: the hub's JSON API, or the extract shipped beside it.

A venue network can be slow or down. The app asks the hub (HACKKIT_URL, else the one named
in the app's HUB_URL file, else http://127.0.0.1:5000) and waits a few seconds at most; when the hub cannot answer it
reads the small extract of the demo data in the app's `data/` folder instead. Either
way the app learns which source it used, and shows that on the map.

It uses only the standard library. The hub's own app previews use it too, with a
getter that calls the hub in-process.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_URL = "http://127.0.0.1:5000"
HUB_URL_FILE = "HUB_URL"  # beside data/: the hub the app was downloaded from
DEFAULT_TIMEOUT = 3.0  # seconds: long enough for a slow hub, short enough to not keep a team waiting
MAX_PAGES = 200  # 200 pages of 1,000 rows: more than any map should draw

# path (with query) -> parsed JSON. The hub's own previews pass one that calls the
# hub in-process; apps use HTTP.
Getter = Callable[[str], Any]


class HubUnavailable(Exception):
    """The hub could not be reached or did not answer with JSON."""


@dataclass
class Loaded:
    data: Any  # parsed JSON: a GeoJSON FeatureCollection, or an API answer
    source: str  # "hub" or "extract"
    notice: str  # one line for the map, saying where the data came from
    reason: str = ""  # why the hub was not used (for the terminal, not the map)

    @property
    def live(self) -> bool:
        return self.source == "hub"


class Hub:
    """A hackkit hub's JSON API, with a fallback to local extracts."""

    def __init__(
        self,
        url: str | None = None,
        timeout: float | None = None,
        extract_dir: str | Path = "data",
        get: Getter | None = None,
    ):
        self.extract_dir = Path(extract_dir)
        self.url = (url or os.environ.get("HACKKIT_URL") or self._saved_url() or DEFAULT_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else float(os.environ.get("HACKKIT_TIMEOUT", DEFAULT_TIMEOUT))
        self._get = get or self._get_over_http
        self._unreachable: str | None = None  # after one failure, don't make the user wait again

    def _saved_url(self) -> str | None:
        """The hub an app was downloaded from: one line in HUB_URL beside its data/ folder,
        written by the hub into the /apps zip (text, so nothing in it can run)."""
        saved = self.extract_dir.parent / HUB_URL_FILE
        try:
            line = saved.read_text(encoding="utf-8").strip().splitlines()
        except OSError:
            return None
        return line[0].strip() if line and line[0].startswith(("http://", "https://")) else None

    # -- the API ---------------------------------------------------------------------------

    def get_json(self, path: str) -> Any:
        """GET one API path (e.g. "/api/v1/datasets") and parse the JSON. Raises HubUnavailable."""
        if self._unreachable:
            raise HubUnavailable(self._unreachable)
        try:
            return self._get(path)
        except HubUnavailable as error:
            self._unreachable = str(error)
            raise

    def _get_over_http(self, path: str) -> Any:
        url = path if path.startswith(("http://", "https://")) else self.url + path
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (http(s) only)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.load(response)
        except (OSError, ValueError) as error:  # refused, timed out, HTTP error, not JSON
            raise HubUnavailable(f"{self.url} did not answer ({error.__class__.__name__}: {error})") from error

    def geojson(self, slug: str, **filters: Any) -> dict:
        """Every matching row of a dataset as a GeoJSON FeatureCollection (rows.geojson)."""
        path = f"/api/v1/datasets/{urllib.parse.quote(slug)}/rows.geojson"
        return self.get_json(path + (f"?{urllib.parse.urlencode(filters)}" if filters else ""))

    def rows(self, slug: str, **filters: Any) -> list[dict]:
        """Every matching row of a dataset as dictionaries, page by page (keyset `next_url`)."""
        params = {"_size": 1000, **filters}
        page = self.get_json(f"/api/v1/datasets/{urllib.parse.quote(slug)}/rows?{urllib.parse.urlencode(params)}")
        rows = list(page["rows"])
        for _ in range(MAX_PAGES):
            if not page.get("next_url"):
                break
            page = self.get_json(page["next_url"])
            rows.extend(page["rows"])
        return rows

    # -- with the fallback -----------------------------------------------------------------

    def load(self, fetch: Callable[[Hub], Any], extract: str) -> Loaded:
        """`fetch(hub)` from the hub, or the JSON file `data/<extract>` when the hub is unreachable."""
        try:
            data = fetch(self)
        except HubUnavailable as error:
            path = self.extract_dir / extract
            with path.open(encoding="utf-8") as file:
                data = json.load(file)
            notice = (
                f"Offline copy: the hub at {self.url} could not be reached, "
                "so this map shows the demo extract shipped with the app."
            )
            return Loaded(data, "extract", notice, reason=str(error))
        return Loaded(data, "hub", f"Live data from the hub at {self.url}.")

    def load_geojson(self, slug: str, **filters: Any) -> Loaded:
        """A dataset as GeoJSON from the hub, or from `data/<slug>.geojson`."""
        return self.load(lambda hub: hub.geojson(slug, **filters), f"{slug}.geojson")


def write_extract(data: Any, path: str | Path) -> None:
    """Save what the hub answered as an extract (maintainers refresh the shipped copies with this)."""
    Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
