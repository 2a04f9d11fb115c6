"""Who may open what: sign-in first, then only what the scope allows (out of scope is 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from kaoping.appraisals.models import Appraisal
from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import FaultNotice
from kaoping.org.tests.factories import World

from .conftest import signed_in
from .scenario import PASSWORD, Scenario

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/dashboard/self/", "/notices/1/", "/appraisals/1/", "/policies/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_anonymous_actions_are_sent_to_sign_in_and_change_nothing(
    client: Client, scenario: Scenario
) -> None:
    scenario.current_month()
    notice = scenario.notice("e1")
    events = AuditEvent.objects.count()

    response = client.post(f"/notices/{notice.pk}/acknowledge/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
    assert AuditEvent.objects.count() == events


def test_health_check_static_files_and_sign_in_need_no_sign_in(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 200
    static = client.get("/static/vendor/htmx/htmx.min.js")
    assert static.status_code == 200
    assert b"htmx" in b"".join(static.streaming_content)  # type: ignore[attr-defined]


def test_the_language_switch_works_before_signing_in(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/login/").content.decode().count("Sign in") >= 1


def test_sign_in_goes_home_and_sign_out_comes_back(client: Client, world: World) -> None:
    user = Scenario(world).login("emp1")

    response = client.post("/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    signed_out = client.post("/logout/")
    assert signed_out.status_code == 302
    assert signed_out["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_in_the_users_language(client: Client, world: World) -> None:
    response = client.post("/login/", {"username": world.users["emp1"].username, "password": "x"})

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_sign_in_only_redirects_within_the_site(client: Client, world: World) -> None:
    user = Scenario(world).login("emp1")

    response = client.post(
        "/login/?next=https://evil.example.com/",
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example.com/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_employee_cannot_open_a_colleagues_notice_or_appraisal(scenario: Scenario) -> None:
    # given 王五 (服务二组) has a notice and an appraisal this month
    period = scenario.current_month()
    notice = scenario.notice("e2")
    appraisal = Appraisal.objects.get(period=period, employee=scenario.world.employees["e2"])
    own = Appraisal.objects.get(period=period, employee=scenario.world.employees["e1"])
    zhang = signed_in(scenario.world, "emp1")

    # when 张三 types their addresses, they do not exist for him
    assert zhang.get(f"/notices/{notice.pk}/").status_code == 404
    assert zhang.get(f"/appraisals/{appraisal.pk}/").status_code == 404
    assert zhang.post(f"/notices/{notice.pk}/acknowledge/").status_code == 404
    assert zhang.post(f"/notices/{notice.pk}/dispute/", {"reason": "不是我"}).status_code == 404
    # and his own appraisal opens
    assert zhang.get(f"/appraisals/{own.pk}/").status_code == 200
    notice.refresh_from_db()
    assert (notice.acknowledged_at, notice.disputed_at) == (None, None)


def test_the_not_found_page_keeps_the_layout(scenario: Scenario) -> None:
    response = signed_in(scenario.world, "emp1").get("/notices/999999/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "页面不存在" in content
    assert 'id="kp-menu"' in content


def test_a_supervisor_reads_a_team_notice_but_cannot_sign_for_it(scenario: Scenario) -> None:
    # given 张三's notice, which his supervisor 李四 may read
    scenario.current_month()
    notice = scenario.notice("e1")
    li = signed_in(scenario.world, "sup1")
    events = AuditEvent.objects.count()

    # when 李四 opens it, it shows without the employee's buttons; signing for it is refused
    page = li.get(f"/notices/{notice.pk}/")
    refused = li.post(f"/notices/{notice.pk}/acknowledge/")

    assert page.status_code == 200
    assert "/acknowledge/" not in page.content.decode()
    assert refused.status_code == 403
    assert "只有通知单上的员工本人可以签收或提出异议。" in refused.content.decode()
    assert FaultNotice.objects.get(pk=notice.pk).acknowledged_at is None
    assert AuditEvent.objects.count() == events


def test_a_dashboard_of_a_role_not_held_is_404(world: World) -> None:
    zhang = signed_in(world, "emp1")

    assert zhang.get("/dashboard/self/").status_code == 200
    assert zhang.get("/dashboard/supervisor/").status_code == 404
    assert zhang.get("/dashboard/no-such-role/").status_code == 404


def test_an_htmx_request_without_a_session_sends_the_whole_page_to_sign_in(
    client: Client,
) -> None:
    response = client.get(
        "/",
        headers={
            "HX-Request": "true",
            "HX-Target": "home-live",
            "HX-Current-URL": "http://testserver/dashboard/self/",
        },
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/dashboard/self/"
    assert response.content == b""
