"""CPU time per request of each route of the event-day mix, in one process, no HTTP.

    HACKKIT_DATABASE_URL=... HACKKIT_LOAD_PLAN=plan.json python benchmarks/load/cpu_per_route.py [-n 200]

Runs against a database seeded by seed.py (run.sh's, or one kept for the purpose). Each route
is asked five times `n` times through Flask's test client after a warm-up; the process's CPU
time (user + system) per request of the cheapest batch is reported: steadier than requests/s
on a shared machine, and it shows which route to work on, with the number of SQL statements
one more request of the route sends. At the end, the weighted mean of locustfile.py's mix.
The page cache is used as configured (HACKKIT_PUBLIC_CACHE_SECONDS), so with it on the
visitors' routes measure a cache hit, and the signed-in event page and gallery a page kept
per role (hackkit/shared_pages.py) with the viewer's own parts filled in.

On a machine too busy for timings to mean much, count instructions instead: run it twice
under `valgrind --tool=callgrind` with `--instructions`, `-n 0` and `-n N`; the difference of
the two "Collected" counts, divided by N, is what one round of the routes costs.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import time

from sqlalchemy import event as sa_event

from hackkit import create_app
from hackkit.extensions import db

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def routes(plan: dict) -> list[tuple[str, str, str, dict, float]]:
    """(who, method, path, headers, weight): the weights are locustfile.py's tasks."""
    event, team = plan["event"], plan["teams"][0]
    saved = {"Authorization": f"Bearer {team['token']}", "Content-Type": "application/json"}
    return [
        ("visitor", "GET", f"/events/{event}", {}, 20),
        ("visitor", "GET", f"/events/{event}/projects", {}, 12),
        ("visitor", "GET", f"/teams/{team['id']}/project", {}, 10),
        ("visitor", "GET", "/api/v1/datasets/playgrounds/rows?_size=50", {}, 15),
        ("visitor", "GET", "/api/v1/datasets/bike-stations/rows?district=Berchem&_sort=capacity", {}, 10),
        ("visitor", "GET", "/datasets/playgrounds", {}, 4),
        ("participant", "GET", f"/events/{event}", {}, 5),
        ("participant", "GET", f"/events/{event}/projects", {}, 4),
        ("participant", "GET", f"/teams/{team['id']}", {}, 2),
        ("participant", "GET", f"/teams/{team['id']}/project", {}, 2),
        ("participant", "GET", "/account", {}, 1),
        ("token", "PUT", f"/api/v1/teams/{team['id']}/submission", saved, 8),
        ("log-in", "GET", "/login", {}, 2),  # the form before each log-in, and for the log-out
        ("log-in", "POST", "/login", {}, 1),  # an argon2 check
    ]


def count_statements(app, request) -> int:
    """How many statements the database receives for one call of `request`."""
    sent = []

    def note(*args) -> None:
        sent.append(1)

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", note)
    try:
        request()
    finally:
        sa_event.remove(engine, "before_cursor_execute", note)
    return len(sent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--only", default="", help="parts of the route's path or kind, comma-separated: any may match")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="only ask each route -n times after the warm-up, no timing: for valgrind's callgrind, whose "
        "instruction counts a busy machine does not change (run with -n 0 and -n N; the difference / N)",
    )
    args = parser.parse_args()
    with open(os.environ["HACKKIT_LOAD_PLAN"], encoding="utf-8") as plan_file:
        plan = json.load(plan_file)
    app = create_app({"RATELIMIT_ENABLED": False})
    visitor, participant, token = app.test_client(), app.test_client(), app.test_client()
    page = participant.get("/login").get_data(as_text=True)
    answer = participant.post(
        "/login",
        data={
            "csrf_token": CSRF.search(page).group(1),
            "email": plan["teams"][0]["members"][0],
            "password": plan["password"],
        },
    )
    assert answer.status_code == 302, answer.status_code
    clients = {"visitor": visitor, "participant": participant, "token": token}
    spent: dict[str, list[tuple[float, float]]] = {"visitor": [], "participant": []}
    for kind, method, path, headers, weight in routes(plan):
        if not any(part in f"{kind} {method} {path}" for part in args.only.split(",")):
            continue

        def ask(number: int, kind=kind, method=method, path=path, headers=headers) -> None:
            if kind == "log-in":  # a new visitor each time, as locust's participants log in
                client = app.test_client()
                if method == "POST":
                    form = client.get("/login").get_data(as_text=True)
                    email = plan["teams"][number % len(plan["teams"])]["members"][0]
                    data = {"csrf_token": CSRF.search(form).group(1), "email": email, "password": plan["password"]}
                    response = client.post("/login", data=data)
                    assert response.status_code == 302, response.status_code
                    return
                response = client.get(path)
            else:
                body = (
                    json.dumps({"title": "Project 0", "description": f"Edited {number}"}) if method == "PUT" else None
                )
                response = clients[kind].open(path, method=method, headers=headers, data=body)
            assert response.status_code == 200, (path, response.status_code)

        times = max(3, args.n // 20) if (kind, method) == ("log-in", "POST") else args.n
        if args.instructions:
            for number in range(10 + args.n):  # the same warm-up whatever -n is
                ask(number)
            continue
        for number in range(min(20, times)):
            ask(number)
        batches = []  # the least of five batches: other work on the machine only ever adds
        for batch in range(5):
            started = time.process_time()
            for number in range(batch * times, (batch + 1) * times):
                ask(number)
            batches.append(1000 * (time.process_time() - started) / times)
        per_request = min(batches)
        spent["visitor" if kind == "visitor" else "participant"].append((per_request, weight))
        statements = count_statements(app, functools.partial(ask, 5 * times))
        print(f"{per_request:7.2f} ms  {statements:3d} SQL  {kind:11s} {method:4s} {path}")
    means = {who: sum(c * w for c, w in rows) / sum(w for _, w in rows) for who, rows in spent.items() if rows}
    for who, mean in means.items():
        print(f"{mean:7.2f} ms  a {who}'s request, weighted as in locustfile.py")
    if len(means) == 2:  # three visitors to one participant, each asking as often
        print(f"{0.75 * means['visitor'] + 0.25 * means['participant']:7.2f} ms  the event-day mix")


if __name__ == "__main__":
    main()
