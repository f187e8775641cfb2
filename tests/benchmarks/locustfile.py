"""The load benchmark's users (run by bench_load.py, not by hand): county staff reading their lists,
deputies logging duties, constituents submitting an opinion and tracking it, and the dashboards (a
county's home, the province's). Every request names its page, so the figures come out per page."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("JIAZHAN_DEMO_PASSWORD", "jiazhan-demo-2026")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRACKING = re.compile(r'id="tracking-code">([A-Z0-9]+)<')
_addresses = itertools.count(1)


class _Signed(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    host_name = ""
    mobile = ""

    def on_start(self) -> None:
        self.client.headers["Host"] = self.host_name
        if self.mobile:
            self._post_form("/login/", "login", {"mobile": self.mobile, "password": PASSWORD}, expect=302)

    def _post_form(self, path: str, name: str, data: dict, *, expect: int, check=None) -> str:
        """GET the form, POST it with its CSRF token; a status other than `expect` (or `check` saying what is
        wrong) counts as a failure. Returns the answer's text."""
        page = self.client.get(path, name=f"{name} (form)")
        token = CSRF.search(page.text)
        with self.client.post(path, data={**data, "csrfmiddlewaretoken": token.group(1) if token else ""},
                              name=name, allow_redirects=False, catch_response=True) as response:
            wrong = f"{response.status_code} instead of {expect}" if response.status_code != expect else None
            wrong = wrong or (check(response.text) if check else None)
            if wrong:
                response.failure(wrong)
            return response.text or ""


class CountyStaff(_Signed):
    """Enshi's administrator going through the county's lists (the biggest demo county)."""

    weight = 3
    host_name = "enshi.localhost"
    mobile = "13800000002"

    @task(3)
    def cases(self) -> None:
        self.client.get("/cases/", name="staff: cases")

    @task(2)
    def suggestions(self) -> None:
        self.client.get("/suggestions/", name="staff: suggestions")

    @task(2)
    def deputies(self) -> None:
        self.client.get("/deputies/", name="staff: deputies")

    @task(1)
    def reception(self) -> None:
        self.client.get("/reception/", name="staff: reception days")

    @task(1)
    def duty_records(self) -> None:
        self.client.get("/duty/records/", name="staff: duty records")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard: county")


class Deputy(_Signed):
    """A deputy of Enshi logging what they did and looking at their own record."""

    weight = 3
    host_name = "enshi.localhost"
    mobile = "13902000001"  # the demo's first deputy of Enshi (seed_demo gives them the demo password)

    @task(2)
    def log_duty(self) -> None:
        self._post_form("/duty/new/", "deputy: log a duty", {
            "kind": "visit", "occurred_on": dt.date.today().isoformat(), "title": "走访选民",
            "content": "入户走访，听取对村道维修的意见。", "constituents_count": "2"}, expect=302)

    @task(3)
    def mine(self) -> None:
        self.client.get("/duty/mine/", name="deputy: my duties")


class Constituent(_Signed):
    """A member of the public behind the county's proxy: the form, a submission, then its progress."""

    weight = 4
    host_name = "enshi.localhost"

    def on_start(self) -> None:
        super().on_start()
        n = next(_addresses)  # each visitor its own address (the form allows 5 an hour from one)
        self.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.codes: list[str] = []

    @task(2)
    def submit(self) -> None:
        if len(self.codes) >= 4:
            return self.track()
        text = self._post_form("/online/", "public: submit an opinion", {
            "content": "村口路灯坏了一个多月，晚上出行不安全，希望尽快修好。", "privacy_consent": "on"}, expect=200,
            check=lambda text: None if TRACKING.search(text) else "no tracking code in the answer")
        found = TRACKING.search(text)
        if found:
            self.codes.append(found.group(1))

    @task(3)
    def track(self) -> None:
        if self.codes:
            self.client.get(f"/online/track/?code={self.codes[-1]}", name="public: track")

    @task(1)
    def calendar(self) -> None:
        self.client.get("/reception/calendar/", name="public: reception calendar")


class ProvinceStaff(_Signed):
    """Hubei's staff on the platform host: the province's dashboard and its monthly report."""

    weight = 1
    host_name = "localhost"
    mobile = "13900000001"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard: province")

    @task(1)
    def report(self) -> None:
        self.client.get("/dashboard/report/", name="dashboard: monthly report")
