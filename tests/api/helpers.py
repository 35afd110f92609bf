"""Talking to the API the way a script does: a token per account, JSON in and out."""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.request

from tests.conftest import TEST_PASSWORD


def token_for(client, email: str, password: str = TEST_PASSWORD, scope: str = "write") -> dict:
    credentials = base64.b64encode(f"{email}:{password}".encode()).decode()
    response = client.post("/api/v1/tokens", headers={"Authorization": f"Basic {credentials}"}, json={"scope": scope})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def send_json(method: str, url: str, body: dict, headers: dict) -> int:
    """One API request over real HTTP (a live server); its status code, whatever it is."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method=method, headers={**headers, "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def simultaneously(calls) -> list[int]:
    """Run every call in its own thread, all released at the same instant; their results."""
    start = threading.Barrier(len(calls))
    results: list[int] = []

    def run(call) -> None:
        start.wait()
        results.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
