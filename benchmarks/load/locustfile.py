"""A mixed event-day workload against a hub seeded by seed.py (see benchmarks/README.md, Load).

Weights follow what an event day looks like: most requests read the event page, the
gallery, project pages and the data API; teams keep saving their submission; now and
then someone logs in (an argon2 hash each, so few but expensive).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["HACKKIT_LOAD_PLAN"], encoding="utf-8") as plan_file:  # written by seed.py (run.sh sets it)
    PLAN = json.load(plan_file)
EVENT = PLAN["event"]
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
DISTRICTS = ["Berchem", "Ekeren", "Merksem", "Wilrijk", "Deurne", "Hoboken"]


class EventDayVisitor(FastHttpUser):
    # Each simulated person makes at most 5 requests a second, so USERS x 5 is the offered load
    # (run.sh: 60 users -> 300 requests/s): latency is measured at that rate, not at saturation.
    wait_time = constant_throughput(5)

    @task(20)
    def event_page(self):
        self.client.get(f"/events/{EVENT}", name="event page")

    @task(12)
    def gallery(self):
        self.client.get(f"/events/{EVENT}/projects", name="gallery")

    @task(10)
    def project_page(self):
        team = random.choice(PLAN["teams"])  # noqa: S311 (load pattern, not security)
        self.client.get(f"/teams/{team['id']}/project", name="project page")

    @task(15)
    def dataset_rows(self):
        self.client.get("/api/v1/datasets/playgrounds/rows?_size=50", name="API rows")

    @task(10)
    def dataset_filter(self):
        district = random.choice(DISTRICTS)  # noqa: S311
        self.client.get(f"/api/v1/datasets/bike-stations/rows?district={district}&_sort=capacity", name="API filter")

    @task(4)
    def dataset_page(self):
        self.client.get("/datasets/playgrounds", name="dataset page")

    @task(8)
    def edit_submission(self):
        team = random.choice(PLAN["teams"])  # noqa: S311
        body = {"title": f"Project {team['id']}", "description": f"Edited {random.random():.6f}"}  # noqa: S311
        with self.client.put(
            f"/api/v1/teams/{team['id']}/submission",
            data=json.dumps(body),
            headers={"Authorization": f"Bearer {team['token']}", "Content-Type": "application/json"},
            name="API submission edit",
            catch_response=True,
        ) as response:
            # Two simulated people may save the same team's project at the same instant: the
            # hub's designed answer to the second is 409 "someone saved at the same moment".
            if response.status_code in (200, 201, 409):
                response.success()

    @task(1)
    def log_in(self):
        page = self.client.get("/login", name="log-in form")
        token = CSRF.search(page.text or "")
        email = random.choice(PLAN["logins"])  # noqa: S311
        self.client.post(
            "/login",
            data={"csrf_token": token.group(1) if token else "", "email": email, "password": PLAN["password"]},
            name="log-in",
        )
        self.client.cookiejar.clear()
