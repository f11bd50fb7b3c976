"""The simulated users of ``benchmarks/load.py``: every role of the demo, logged in, reading
their pages and (the coordinators) placing the same pending allocations into the same units
at once. Run by load.py, which passes the hosts and the records in LOAD_PLAN (JSON).

Each user speaks to one web process (round robin over LOAD_PLAN's hosts), as a proxy would
spread users; requests carry the proxy's headers. Loopback only."""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(os.environ["LOAD_PLAN"])
HOSTS = itertools.cycle(PLAN["hosts"])
HEADERS = {"Host": PLAN["host_header"], "X-Forwarded-Proto": "https",
           "X-Forwarded-For": "203.0.113.7"}  # fmt: skip
PASSWORD = PLAN["password"]


class Role(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    email = ""
    host = PLAN["hosts"][0]

    def on_start(self) -> None:
        self.client.base_url = next(HOSTS)
        self.client.headers.update(HEADERS)
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        answer = self.client.post(
            "/accounts/login/",
            {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Origin": f"https://{PLAN['host_header']}",
                     "Referer": f"https://{PLAN['host_header']}/accounts/login/"},
            allow_redirects=False, name="log in",
        )  # fmt: skip
        if answer.status_code != 302:
            raise RuntimeError(f"{self.email} could not log in: {answer.status_code}")

    def page(self, path: str, name: str) -> None:
        self.client.get(path, name=name)


class Coordinator(Role):
    weight = 3
    email = PLAN["logins"]["coordinator"]

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(2)
    def households(self) -> None:
        self.page("/households/", "households")

    @task(2)
    def search(self) -> None:
        self.page(f"/households/?q={random.choice(PLAN['names'])}", "household search")

    @task(3)
    def household(self) -> None:
        self.page(f"/households/{random.choice(PLAN['households'])}/", "household page")

    @task(1)
    def sites(self) -> None:
        self.page("/sites/", "sites")

    @task(1)
    def allocations(self) -> None:
        self.page("/allocations/", "allocations")

    @task(1)
    def placement(self) -> None:
        self.page("/placement/", "placement")

    @task(2)
    def place(self) -> None:
        """Place one of the pending allocations, which every coordinator tries at once."""
        target = random.choice(PLAN["placements"])
        path = f"/allocations/{target['allocation']}/"
        self.client.get(path, name="allocation page")
        with self.client.post(
            path,
            {"unit": target["unit"], "on": target["on"],
             "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            headers={"Origin": f"https://{PLAN['host_header']}",
                     "Referer": f"https://{PLAN['host_header']}{path}"},
            allow_redirects=False, name="place an allocation", catch_response=True,
        ) as answer:  # fmt: skip
            # Placed (302), or refused with its reason on the page (400: another coordinator
            # placed it a moment ago, or the unit is full). Both are answers, not errors.
            if answer.status_code in (302, 400):
                answer.success()


class PartnerStaff(Role):
    weight = 3
    email = PLAN["logins"]["partner_staff"]

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(3)
    def households(self) -> None:
        self.page("/households/", "households")

    @task(3)
    def household(self) -> None:
        self.page(f"/households/{random.choice(PLAN['partner_households'])}/", "household page")

    @task(1)
    def services(self) -> None:
        self.page("/services/", "services")

    @task(1)
    def coupons(self) -> None:
        self.page("/coupons/", "coupons")

    @task(1)
    def referrals(self) -> None:
        self.page("/referrals/", "referrals")


class PartnerAdmin(Role):
    weight = 1
    email = PLAN["logins"]["partner_admin"]

    @task(2)
    def sites(self) -> None:
        self.page("/sites/", "sites")

    @task(1)
    def reports(self) -> None:
        self.page("/finance/", "monthly reports")

    @task(1)
    def dashboard(self) -> None:
        self.page("/", "dashboard")


class Viewer(Role):
    weight = 2
    email = PLAN["logins"]["viewer"]

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(1)
    def partnership(self) -> None:
        self.page("/partnership/", "partnership")

    @task(1)
    def annual(self) -> None:
        self.page("/reports/annual/", "annual reports")


class CaseWorker(Role):
    weight = 1
    email = PLAN["logins"]["case_worker"]

    @task(2)
    def cases(self) -> None:
        self.page("/minors/", "children's cases")

    @task(1)
    def turning_18(self) -> None:
        self.page("/minors/turning-18/", "turning 18")


assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", host) for host in PLAN["hosts"])
