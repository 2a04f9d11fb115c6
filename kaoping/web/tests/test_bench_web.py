"""The load generator of `kaoping bench web`: signs in, browses, measures."""

from __future__ import annotations

import urllib.parse

import pytest

from kaoping.org.tests.factories import World
from kaoping.web.bench import Sample, WebBench, run_web_bench


def test_percentiles_are_exact_on_known_samples() -> None:
    report = WebBench(
        users=1,
        seconds=10.0,
        samples=[Sample(page="p", status=200, seconds=n / 100) for n in range(1, 101)],
    )
    assert report.throughput == 10.0
    assert report.percentile(0.50) == pytest.approx(0.505)
    assert report.percentile(0.95) == pytest.approx(0.9505)
    assert report.percentile(0.95, page="other") == 0.0
    assert report.errors == 0


@pytest.mark.django_db(transaction=True)
def test_virtual_users_sign_in_and_browse_their_pages(world: World, live_server) -> None:  # type: ignore[no-untyped-def]
    address = urllib.parse.urlsplit(live_server.url)

    # when two users (an employee and a supervisor) browse for a second
    report = run_web_bench(
        host=address.hostname,
        port=address.port,
        users=2,
        duration=1.0,
        pause=0.05,
        role_pages={
            world.users["emp1"].username: ["/", "/no-such-page/"],
            world.users["sup1"].username: ["/"],
        },
        password="pw",
    )

    # then every request was answered, as the signed-in users, and missing pages are listed
    assert report.samples and report.errors == 0
    assert {s.status for s in report.samples} == {200}
    assert report.skipped_pages == [f"{world.users['emp1'].username} /no-such-page/"]
    assert {s.page.split()[0] for s in report.samples} == {
        world.users["emp1"].username,
        world.users["sup1"].username,
    }


@pytest.mark.django_db(transaction=True)
def test_a_refused_sign_in_stops_the_run_with_the_login_named(world: World, live_server) -> None:  # type: ignore[no-untyped-def]
    address = urllib.parse.urlsplit(live_server.url)
    login = world.users["emp1"].username

    # when the benchmark's password is wrong
    with pytest.raises(RuntimeError) as refused:
        run_web_bench(
            host=address.hostname,
            port=address.port,
            users=2,
            duration=1.0,
            pause=0.05,
            role_pages={login: ["/"]},
            password="not-the-password",
        )

    # then it stops before any virtual user starts, naming who was refused
    assert str(refused.value) == f"{login}: sign-in refused (HTTP 200)"
