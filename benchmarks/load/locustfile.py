"""A mixed event-day workload against a hub seeded by seed.py (see benchmarks/README.md, Load).

Two kinds of people, three visitors to one participant:
- Visitors are not signed in: residents following the event, the screen in the hall, the
  sample apps and scripts reading the data API. They read the event page, the gallery,
  project pages, a dataset page and the data API.
- Participants sign in through the log-in form (an argon2 check), look at the event, the
  gallery, their team and their project, keep saving their project (through the API with
  their team's token, as a script or the editor would), and now and then log out and in.
"""

from __future__ import annotations

import itertools
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
# Each simulated person makes at most 5 requests a second, so USERS x 5 is the offered load
# (run.sh: 60 users -> 300 requests/s): latency is measured at that rate, not at saturation.
REQUESTS_PER_SECOND_EACH = 5
# run.sh with INSTANCES=2 or more: the hub instances' addresses. Each simulated person is given
# one of them in turn (as a proxy balancing connections would), so the load is spread evenly.
HOSTS = [host for host in os.environ.get("HACKKIT_LOAD_HOSTS", "").split(",") if host]
_next_host = itertools.count()


class SpreadOverInstances(FastHttpUser):
    abstract = True

    def __init__(self, environment):
        if HOSTS:
            self.host = HOSTS[next(_next_host) % len(HOSTS)]
        super().__init__(environment)


class Visitor(SpreadOverInstances):
    weight = 3
    wait_time = constant_throughput(REQUESTS_PER_SECOND_EACH)

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


class Participant(SpreadOverInstances):
    weight = 1
    wait_time = constant_throughput(REQUESTS_PER_SECOND_EACH)

    def on_start(self):
        self.team = random.choice(PLAN["teams"])  # noqa: S311
        self.email = random.choice(self.team["members"])  # noqa: S311
        self.log_in()

    def log_in(self):
        page = self.client.get("/login", name="log-in form")
        token = CSRF.search(page.text or "")
        self.client.post(
            "/login",
            data={"csrf_token": token.group(1) if token else "", "email": self.email, "password": PLAN["password"]},
            name="log-in (signed in)",
        )

    @task(5)
    def event_page(self):
        self.client.get(f"/events/{EVENT}", name="event page (signed in)")

    @task(4)
    def gallery(self):
        self.client.get(f"/events/{EVENT}/projects", name="gallery (signed in)")

    @task(2)
    def team_page(self):
        self.client.get(f"/teams/{self.team['id']}", name="team page (signed in)")

    @task(2)
    def project_page(self):
        self.client.get(f"/teams/{self.team['id']}/project", name="project page (signed in)")

    @task(8)
    def edit_submission(self):
        body = {"title": f"Project {self.team['id']}", "description": f"Edited {random.random():.6f}"}  # noqa: S311
        with self.client.put(
            f"/api/v1/teams/{self.team['id']}/submission",
            data=json.dumps(body),
            headers={"Authorization": f"Bearer {self.team['token']}", "Content-Type": "application/json"},
            name="API submission edit",
            catch_response=True,
        ) as response:
            # Two members may save their team's project at the same instant: the hub's
            # designed answer to the second is 409 "someone saved at the same moment".
            if response.status_code in (200, 201, 409):
                response.success()

    @task(1)
    def log_out_and_in(self):
        page = self.client.get("/account", name="account page (signed in)")
        token = CSRF.search(page.text or "")
        self.client.post("/logout", data={"csrf_token": token.group(1) if token else ""}, name="log-out")
        self.log_in()
