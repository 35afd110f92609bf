"""The session cookie across a change of secret key (hackkit/session_cookie.py keeps one signer
per key): a key moved to SECRET_KEY_FALLBACKS keeps its cookies valid, a key dropped ends them."""

from tests.conftest import make_app, post_form


def _dutch(client) -> bool:
    return '<html lang="nl">' in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_rotated_key_keeps_sessions_and_a_dropped_key_ends_them(tmp_path, database_url):
    old = make_app(tmp_path / "old", database_url, SECRET_KEY="the-old-key")
    visitor = old.test_client()
    post_form(visitor, "/language", {"lang": "nl", "next": "/login"}, page="/login")
    assert _dutch(visitor)
    cookie = visitor.get_cookie("session").value

    rotated = make_app(
        tmp_path / "rotated", database_url, SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["the-old-key"]
    )
    dropped = make_app(tmp_path / "dropped", database_url, SECRET_KEY="the-new-key")
    for app, still_signed in ((rotated, True), (dropped, False), (old, True)):
        client = app.test_client()
        client.set_cookie("session", cookie)
        assert _dutch(client) is still_signed, app.config["SECRET_KEY_FALLBACKS"]

    # What the new key signs, the old app cannot read: each app signs with its own key.
    renewed = rotated.test_client()
    post_form(renewed, "/language", {"lang": "nl", "next": "/login"}, page="/login")
    client = old.test_client()
    client.set_cookie("session", renewed.get_cookie("session").value)
    assert not _dutch(client)
