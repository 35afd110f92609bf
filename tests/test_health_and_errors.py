"""The health check, and failures that must never show a traceback."""

import pytest

from tests.conftest import make_app


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}


UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-dir/for/hackkit/db.sqlite3",
    "postgresql": "postgresql://postgres@127.0.0.1:9/hackkit",  # nothing listens on port 9
}


@pytest.fixture(params=sorted(UNREACHABLE))
def unreachable_app(request, tmp_path):
    return make_app(tmp_path, UNREACHABLE[request.param])


def test_unreachable_database_gives_503_json_on_healthz_and_api(unreachable_app):
    client = unreachable_app.test_client()
    for url in ("/healthz",):
        response = client.get(url)
        assert response.status_code == 503
        body = response.get_json()
        assert body["ok"] is False and body["status"] == 503 and "database" in body["error"]
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer hk_something"})
    assert response.status_code == 503 and response.get_json()["status"] == 503


def test_unreachable_database_gives_a_503_page_not_a_traceback(unreachable_app):
    client = unreachable_app.test_client()
    for url in ("/", "/login"):
        response = client.get(url) if url == "/" else client.post(url, data={"email": "a@b.org"})
        text = response.get_data(as_text=True)
        if url == "/":
            assert response.status_code == 503
            assert "database cannot be reached" in text
        assert "Traceback" not in text and "OperationalError" not in text


def test_unexpected_error_shows_a_friendly_500(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    app.testing = False  # let the error handler answer as in production

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong" in text and "secret internal detail" not in text


def test_html_404_page_is_in_the_site_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "This page does not exist." in response.get_data(as_text=True)
    assert '<main id="main"' in response.get_data(as_text=True)


def test_oversized_body_is_413_with_the_limit_in_the_message(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HACKKIT_MAX_UPLOAD_MB=1)
    response = app.test_client().post(
        "/api/v1/tokens", data=b"x" * (2 * 1024 * 1024), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "1 MB" in response.get_json()["error"]
