"""Talking to the API the way a script does: a token per account, JSON in and out."""

from __future__ import annotations

import base64

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
