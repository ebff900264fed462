"""The simulated people of ``bench/load.py`` (locust). Not run on its own: load.py
seeds the database, writes the plan (accounts, proposal ids) to the file named by
``LOAD_PLAN`` and reads back, from ``LOAD_WRITES``, every write the site
acknowledged, to check afterwards that each one is in the database.

- residents (signed in with a session made up front, one account each): browse
  the list, search, read proposals, comment (at most one comment every 13 s: the
  site allows five a minute per person) and support;
- visitors (anonymous): the home page, the list, proposals, the list API;
- organisations (an API token each): read the API, create a proposal and submit
  it, which the Celery workers then score.

People pause 1 to 5 seconds between two requests (organisations 3 to 8), a fast
reader's pace: 100 of them make about 30 requests a second.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
WRITES: dict[str, list[Any]] = {"comments": [], "supports": [], "proposals": []}
FETCH = {"X-Requested-With": "fetch", "Accept-Language": "en"}
_residents = itertools.count()
_organisations = itertools.count()


@events.quitting.add_listener
def _dump_writes(**kwargs: Any) -> None:
    with open(os.environ["LOAD_WRITES"], "w") as out:
        json.dump(WRITES, out)


def _page() -> int:
    return random.randint(1, PLAN["pages"])


class Resident(HttpUser):
    weight = 7
    wait_time = between(1, 5)

    def on_start(self) -> None:
        account = PLAN["residents"][next(_residents) % len(PLAN["residents"])]
        self.user_id = account["id"]
        self.client.cookies.set("sessionid", account["session"])
        self.client.headers["Accept-Language"] = "en"
        self.last_comment = 0.0
        self.supported: set[int] = set()
        self.client.get("/proposals/", name="/proposals/ (signed in)")

    def _csrf(self) -> dict[str, str]:
        return {**FETCH, "X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    @task(4)
    def browse(self) -> None:
        self.client.get(
            f"/proposals/?page={_page()}", name="/proposals/?page= (signed in)"
        )

    @task(2)
    def search(self) -> None:
        word = random.choice(PLAN["words"])
        self.client.get(f"/proposals/?q={word}", name="/proposals/?q= (signed in)")

    @task(6)
    def read(self) -> None:
        pk = random.choice(PLAN["proposals"])
        self.client.get(f"/proposals/{pk}/", name="/proposals/[id]/ (signed in)")

    @task(2)
    def comment(self) -> None:
        if time.monotonic() - self.last_comment < 13:
            return self.read()
        pk = random.choice(PLAN["open_proposals"])
        body = f"Load test remark {uuid.uuid4().hex}: would this reach our street?"
        with self.client.post(
            f"/proposals/{pk}/comments/",
            data={"body": body},
            headers=self._csrf(),
            name="/proposals/[id]/comments/",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                self.last_comment = time.monotonic()
                WRITES["comments"].append([pk, body])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def support(self) -> None:
        pk = random.choice(PLAN["open_proposals"])
        if pk in self.supported:
            return
        with self.client.post(
            f"/proposals/{pk}/support/",
            headers=self._csrf(),
            name="/proposals/[id]/support/",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.supported.add(pk)
                WRITES["supports"].append([self.user_id, pk])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Visitor(HttpUser):
    weight = 2
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = "en"

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(3)
    def browse(self) -> None:
        self.client.get(f"/proposals/?page={_page()}", name="/proposals/?page=")

    @task(4)
    def read(self) -> None:
        pk = random.choice(PLAN["proposals"])
        self.client.get(f"/proposals/{pk}/", name="/proposals/[id]/")

    @task(2)
    def api_list(self) -> None:
        self.client.get(
            f"/api/v1/proposals/?page={_page()}", name="/api/v1/proposals/?page="
        )


class Organisation(HttpUser):
    weight = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        account = PLAN["organisations"][
            next(_organisations) % len(PLAN["organisations"])
        ]
        self.organisation_id = account["organisation"]
        self.client.headers.update(
            {"Authorization": f"Token {account['token']}", "Accept-Language": "en"}
        )

    @task(3)
    def api_list(self) -> None:
        self.client.get(
            f"/api/v1/proposals/?city={PLAN['city']}&page={_page()}",
            name="/api/v1/proposals/?city=&page= (token)",
        )

    @task(2)
    def api_detail(self) -> None:
        pk = random.choice(PLAN["proposals"])
        self.client.get(f"/api/v1/proposals/{pk}/", name="/api/v1/proposals/[id]/")

    @task(1)
    def propose(self) -> None:
        sectors = random.sample(PLAN["sectors"], 2)
        title = f"Load test {sectors[0]} and {sectors[1]} {uuid.uuid4().hex[:8]}"
        with self.client.post(
            "/api/v1/proposals/",
            json={
                "city": PLAN["city"],
                "lead_organisation": self.organisation_id,
                "title": title,
                "summary": f"Combines {sectors[0]} and {sectors[1]} in one project.",
                "body": "## Plan\n\nA pilot in one district, then the whole city.",
                "sectors": sectors,
                "delivery_model": "ppp",
                "capital_cost": "1500000.00",
                "currency": "EUR",
                "district": random.choice(PLAN["districts"]),
            },
            name="/api/v1/proposals/",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            pk = response.json()["id"]
            response.success()
        with self.client.post(
            f"/api/v1/proposals/{pk}/submit/",
            name="/api/v1/proposals/[id]/submit/",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                WRITES["proposals"].append([pk, title])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
