"""A small real HTTP server that answers like a CKAN 2.11 portal: package_search in CKAN's
envelope (paged by rows/start), and the resource files themselves on the same server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


def ckan_package(base: str, name: str, title: str, resources: list[dict], **fields) -> dict:
    """A package as CKAN 2.11's package_search returns it (the fields a harvester may read)."""
    package_id = f"0000-{name}"
    package = {
        "author": None,
        "author_email": None,
        "creator_user_id": "5a0f0000-0000-0000-0000-000000000001",
        "id": package_id,
        "isopen": True,
        "license_id": "cc-by",
        "license_title": "Creative Commons Attribution",
        "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "maintainer": None,
        "maintainer_email": None,
        "metadata_created": "2026-01-10T09:00:00.000000",
        "metadata_modified": "2026-02-01T10:00:00.000000",
        "name": name,
        "notes": f"About {title}.",
        "num_resources": len(resources),
        "num_tags": 0,
        "organization": {
            "id": "org-1",
            "name": "city-of-ghent",
            "title": "City of Ghent",
            "type": "organization",
            "description": "",
            "image_url": "",
            "created": "2025-01-01T00:00:00.000000",
            "is_organization": True,
            "approval_status": "approved",
            "state": "active",
        },
        "owner_org": "org-1",
        "private": False,
        "state": "active",
        "title": title,
        "type": "dataset",
        "url": "",
        "version": None,
        "extras": [],
        "groups": [],
        "tags": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "resources": [
            {
                "cache_last_updated": None,
                "cache_url": None,
                "created": "2026-01-10T09:00:00.000000",
                "datastore_active": False,
                "description": "",
                "format": resource["format"],
                "hash": "",
                "id": f"{package_id}-r{position}",
                "last_modified": None,
                "metadata_modified": "2026-02-01T10:00:00.000000",
                "mimetype": resource.get("mimetype"),
                "mimetype_inner": None,
                "name": resource.get("name", resource["path"].rsplit("/", 1)[-1]),
                "package_id": package_id,
                "position": position,
                "resource_type": None,
                "size": None,
                "state": "active",
                "url": base + resource["path"],
                "url_type": None,
            }
            for position, resource in enumerate(resources)
        ],
    }
    package.update(fields)
    package["num_tags"] = len(package["tags"])
    return package


class Portal:
    def __init__(self):
        self.packages: list[dict] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # path -> (content type, body)
        self.requests: list[str] = []
        self.base = ""

    def add_file(self, path: str, body: str | bytes, content_type: str = "text/csv") -> None:
        self.files[path] = (content_type, body.encode() if isinstance(body, str) else body)

    def __call__(self, environ, start_response):
        request = Request(environ)
        self.requests.append(request.full_path)
        if request.path == "/api/3/action/package_search":
            rows, start = int(request.args.get("rows", 10)), int(request.args.get("start", 0))
            body = {
                "help": f"{self.base}/api/3/action/help_show?name=package_search",
                "success": True,
                "result": {
                    "count": len(self.packages),
                    "facets": {},
                    "results": self.packages[start : start + rows],
                    "sort": "score desc, metadata_modified desc",
                    "search_facets": {},
                },
            }
            response = Response(json.dumps(body), content_type="application/json;charset=utf-8")
        elif request.path == "/":
            response = Response("<html><body>Open data portal</body></html>", content_type="text/html")
        elif request.path in self.files:
            content_type, data = self.files[request.path]
            response = Response(data, content_type=content_type)
        else:
            response = Response("not found", status=404, content_type="text/plain")
        return response(environ, start_response)


@contextmanager
def serve(portal: Portal) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, portal, threaded=True)
    portal.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield portal.base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
