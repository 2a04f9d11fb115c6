"""The web load benchmark: virtual users signed in as each role, browsing their main pages.

`kaoping bench web` serves the configured database (the demo company) with gunicorn under
production settings, then runs N virtual users, each signed in as one of the demo logins and
requesting its role's main pages one after another with a pause between requests, and reports
throughput and latency percentiles. The load generator is plain standard library (threads and
http.client), so it measures the server, not a client library.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

DEMO_PASSWORD = "kaoping-demo"  # noqa: S105 - the demo's published password

# The main pages of each demo login (relative URLs). Pages that do not exist (404) in this
# build are dropped at warm-up and listed in the report, so the benchmark follows the app.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "demo-employee": ("/", "/policies/", "/appeals/"),
    "demo-supervisor": (
        "/",
        "/dashboard/supervisor/",
        "/findings/new/",
        "/findings/",
        "/corrective-actions/",
        "/appeals/inbox/",
    ),
    "demo-head": (
        "/",
        "/dashboard/department_head/",
        "/periods/",
        "/reports/",
        "/entries/pending/",
    ),
    "demo-manager": ("/", "/dashboard/project_manager/", "/periods/", "/reports/"),
    "demo-quality": (
        "/",
        "/dashboard/quality/",
        "/policies/",
        "/reports/",
        "/inspections/",
        "/records/complaints/",
    ),
    "demo-hr": ("/", "/dashboard/hr/", "/periods/"),
    "demo-admin": ("/", "/dashboard/admin/"),
}

LOGIN_PATH = "/login/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    page: str
    status: int
    seconds: float


@dataclass
class WebBench:
    """What a run measured."""

    users: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    skipped_pages: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Requests answered with an error, or not answered at all (status 0)."""
        return sum(1 for s in self.samples if s.status >= 400 or s.status == 0)

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float, page: str | None = None) -> float:
        """The latency under which `share` of the requests (of one page) finished, in seconds."""
        values = sorted(s.seconds for s in self.samples if page is None or s.page == page)
        if not values:
            return 0.0
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]

    def pages(self) -> list[str]:
        return sorted({s.page for s in self.samples})


class Browser:
    """One virtual user: a connection, a cookie jar, and nothing else."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(host, port, timeout=60)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Send one request; answer (status, body, Location). Cookies are kept whatever their
        Secure flag says (production settings mark them Secure; the benchmark speaks plain
        HTTP on loopback)."""
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            self.reconnect()  # the server closed a kept-alive connection: try once more
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, response.getheader("Location") or ""

    def reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def sign_in(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", LOGIN_PATH)
        token = _CSRF_INPUT.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"sign-in page: HTTP {status}")
        status, _, _ = self.request(
            "POST",
            LOGIN_PATH,
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        )
        if status != 302:
            raise RuntimeError(f"{username}: sign-in refused (HTTP {status})")


def run_web_bench(
    *,
    host: str,
    port: int,
    users: int,
    duration: float,
    pause: float,
    role_pages: dict[str, Sequence[str]] | None = None,
    password: str = DEMO_PASSWORD,
    progress: Callable[[str], None] = lambda _: None,
) -> WebBench:
    """Run `users` virtual users for `duration` seconds against a running server."""
    plan = {login: list(pages) for login, pages in (role_pages or ROLE_PAGES).items()}
    report = WebBench(users=users, seconds=0.0)
    # Warm-up: one signed-in pass over every page; pages this build lacks are dropped.
    for login, pages in plan.items():
        browser = Browser(host, port)
        browser.sign_in(login, password)
        for page in list(pages):
            status, _, _ = browser.request("GET", page)
            if status == 404:
                pages.remove(page)
                report.skipped_pages.append(f"{login} {page}")
            elif status != 200:
                raise RuntimeError(f"{login} {page}: HTTP {status} at warm-up")
    # Every virtual user signs in before the clock starts, one after another: signing in writes
    # (the session, last_login) and is not what is measured.
    logins = [login for login, pages in plan.items() if pages]
    browsers = []
    for index in range(users):
        browser = Browser(host, port)
        browser.sign_in(logins[index % len(logins)], password)
        browsers.append(browser)
    lock = threading.Lock()

    def user(index: int) -> None:
        login = logins[index % len(logins)]
        browser, pages = browsers[index], plan[login]
        step = index  # users of one role start on different pages
        while time.perf_counter() < stop_at:
            page = pages[step % len(pages)]
            step += 1
            started = time.perf_counter()
            try:
                status, _, _ = browser.request("GET", page)
            except (OSError, http.client.HTTPException):  # no answer in time, or none at all
                status = 0
                browser.reconnect()
            elapsed = time.perf_counter() - started
            with lock:
                report.samples.append(
                    Sample(page=f"{login} {page}", status=status, seconds=elapsed)
                )
            time.sleep(pause)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    stop_at = time.perf_counter() + duration
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    progress(f"{users} 个用户开始访问 users browsing for {duration:.0f} s")
    for thread in threads:
        thread.join()
    report.seconds = time.perf_counter() - started
    by_status: dict[int, int] = defaultdict(int)
    for sample in report.samples:
        by_status[sample.status] += 1
    progress(f"完成 done: {len(report.samples)} requests, by status {dict(by_status)}")
    return report
