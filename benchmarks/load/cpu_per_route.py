"""CPU time per request of each route of the event-day mix, in one process, no HTTP.

    HACKKIT_DATABASE_URL=... HACKKIT_LOAD_PLAN=plan.json python benchmarks/load/cpu_per_route.py [-n 200]

Runs against a database seeded by seed.py (run.sh's, or one kept for the purpose). Each route
is asked `n` times through Flask's test client after a warm-up, and the process's CPU time
(user + system) is divided by `n`: steadier than requests/s on a shared machine, and it shows
which route to work on. The page cache is used as configured (HACKKIT_PUBLIC_CACHE_SECONDS),
so with it on the visitors' routes measure a cache hit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time

from hackkit import create_app

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def routes(plan: dict) -> list[tuple[str, str, str, dict]]:
    event, team = plan["event"], plan["teams"][0]
    saved = {"Authorization": f"Bearer {team['token']}", "Content-Type": "application/json"}
    return [
        ("visitor", "GET", f"/events/{event}", {}),
        ("visitor", "GET", f"/events/{event}/projects", {}),
        ("visitor", "GET", f"/teams/{team['id']}/project", {}),
        ("visitor", "GET", "/api/v1/datasets/playgrounds/rows?_size=50", {}),
        ("visitor", "GET", "/api/v1/datasets/bike-stations/rows?district=Berchem&_sort=capacity", {}),
        ("visitor", "GET", "/datasets/playgrounds", {}),
        ("participant", "GET", f"/events/{event}", {}),
        ("participant", "GET", f"/events/{event}/projects", {}),
        ("participant", "GET", f"/teams/{team['id']}", {}),
        ("participant", "GET", f"/teams/{team['id']}/project", {}),
        ("participant", "GET", "/account", {}),
        ("token", "PUT", f"/api/v1/teams/{team['id']}/submission", saved),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--only", default="", help="a part of the route's path or kind")
    args = parser.parse_args()
    with open(os.environ["HACKKIT_LOAD_PLAN"], encoding="utf-8") as plan_file:
        plan = json.load(plan_file)
    app = create_app({"RATELIMIT_ENABLED": False})
    visitor, participant, token = app.test_client(), app.test_client(), app.test_client()
    page = participant.get("/login").get_data(as_text=True)
    answer = participant.post(
        "/login",
        data={"csrf_token": CSRF.search(page).group(1), "email": plan["teams"][0]["members"][0], "password": plan["password"]},
    )
    assert answer.status_code == 302, answer.status_code
    clients = {"visitor": visitor, "participant": participant, "token": token}
    total = 0.0
    for kind, method, path, headers in routes(plan):
        if args.only not in f"{kind} {path}":
            continue
        client = clients[kind]

        def ask(number: int, client=client, method=method, path=path, headers=headers) -> None:
            body = json.dumps({"title": "Project 0", "description": f"Edited {number}"}) if method == "PUT" else None
            response = client.open(path, method=method, headers=headers, data=body)
            assert response.status_code == 200, (path, response.status_code)

        for number in range(20):
            ask(number)
        started = time.process_time()
        for number in range(args.n):
            ask(number)
        per_request = 1000 * (time.process_time() - started) / args.n
        total += per_request
        print(f"{per_request:7.2f} ms  {kind:11s} {method} {path}")
    print(f"{total:7.2f} ms  sum")


if __name__ == "__main__":
    main()
