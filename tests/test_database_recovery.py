"""The database goes away mid-event and comes back: 503 with a message meanwhile, then normal.

A small TCP relay stands between the hub and the real PostgreSQL server of the test run.
Cutting the relay is what a database restart or a network drop looks like to the hub: open
connections die and new ones are refused. The hub must answer 503 (never a traceback), and
must need nothing (no restart) to work again once the relay is back.
"""

from __future__ import annotations

import socket
import threading

import pytest
import sqlalchemy as sa

from tests.conftest import DB_KIND, POSTGRES_ADMIN_URL, make_app
from tests.datasets.helpers import import_file, write_csv

pytestmark = pytest.mark.skipif(DB_KIND != "postgresql", reason="needs a database server (runs in the PostgreSQL pass)")


class Relay:
    """Forwards 127.0.0.1:<port> to the PostgreSQL server until cut."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()  # "connection refused" as far as the hub can tell
                continue
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.close()
                except OSError:
                    pass

    def cut(self) -> None:
        self.open = False
        for end in self.sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def relayed_app(tmp_path, database_url):
    url = sa.make_url(database_url)
    admin = sa.make_url(POSTGRES_ADMIN_URL)
    relay = Relay((admin.host or "127.0.0.1", admin.port or 5432))
    app = make_app(tmp_path, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False))
    yield app, relay
    relay.close()


def test_the_hub_answers_503_while_the_database_is_away_and_recovers_by_itself(relayed_app):
    app, relay = relayed_app
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/events").status_code == 200

    relay.cut()
    for url in ("/healthz", "/api/v1/events", "/events/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "Traceback" not in response.get_data(as_text=True)
    assert "database" in client.get("/api/v1/events").get_json()["error"]

    relay.restore()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/events").status_code == 200
    assert client.get("/events/").status_code == 200


def test_the_ckan_dump_answers_503_in_its_json_envelope_while_the_database_is_away(relayed_app, tmp_path):
    app, relay = relayed_app
    import_file(app, write_csv(tmp_path, "stops.csv", "id,naam\n1,Meir\n"), slug="stops")
    client = app.test_client()
    assert client.get("/datastore/dump/stops").status_code == 200
    relay.cut()
    response = client.get("/datastore/dump/stops")
    assert response.status_code == 503 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["success"] is False and body["error"]["__type"] == "Service Unavailable"
    action = client.get("/api/3/action/datastore_search?resource_id=stops")
    assert action.status_code == 503 and action.get_json()["error"]["__type"] == "Service Unavailable"
    relay.restore()
    assert client.get("/datastore/dump/stops").status_code == 200
