"""The hub's CSS and JS carry their content hash, so a browser on a slow network fetches them
once per release and never asks again."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import hackkit

STATIC = Path(hackkit.__file__).parent / "static"


def test_pages_link_the_stylesheet_by_its_content_hash(client):
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'href="(/static/css/hackkit\.css\?v=([0-9a-f]+))"', page)
    assert link, "the stylesheet link has no ?v= hash"
    expected = hashlib.sha256((STATIC / "css" / "hackkit.css").read_bytes()).hexdigest()[:12]
    assert link.group(2) == expected
    answer = client.get(link.group(1))
    assert answer.status_code == 200
    assert answer.cache_control.max_age == 365 * 24 * 3600 and answer.cache_control.immutable


def test_an_old_or_missing_hash_is_not_kept_for_a_year(client):
    for url in ("/static/css/hackkit.css", "/static/css/hackkit.css?v=000000000000"):
        answer = client.get(url)
        assert answer.status_code == 200 and not answer.cache_control.immutable
    assert client.get("/static/css/missing.css").status_code == 404
