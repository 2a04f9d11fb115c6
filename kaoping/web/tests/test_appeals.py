"""Appeal pages: filing, my appeals, the inbox of a deciding level, the decision and its corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaoping.appeals.models import Appeal
from kaoping.appeals.services import appeal_file
from kaoping.appraisals.models import Result
from kaoping.inspections.models import Finding
from kaoping.org.tests.factories import build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(scenario: Scenario) -> Scenario:
    scenario.current_month()
    return scenario


def test_the_employee_files_an_appeal_against_their_notice(month: Scenario) -> None:
    notice = month.notice("e1")
    client = signed_in(month.world, "emp1")

    notice_page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert f'href="/appeals/new/?notice={notice.pk}"' in notice_page
    assert 'href="/appeals/"' in client.get("/").content.decode()
    page = client.get(f"/appeals/new/?notice={notice.pk}")
    assert page.status_code == 200
    assert notice.number in page.content.decode()

    response = client.post(f"/appeals/new/?notice={notice.pk}", {"reason": "当时在处理报修"})

    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appeals/{appeal.pk}/"
    assert appeal.fault_notice == notice
    assert appeal.reason == "当时在处理报修"
    assert appeal.level == "supervisor"
    detail = client.get(response["Location"]).content.decode()
    assert f"申诉已提交(#{appeal.pk}),请等待主管/组长处理。" in detail
    assert 'id="appeal-decide"' not in detail
    mine = client.get("/appeals/").content.decode()
    assert f"#{appeal.pk} 过失通知单 {notice.number}" in mine
    assert "处理中" in mine


def test_an_appeal_without_a_reason_is_refused_next_to_the_field(month: Scenario) -> None:
    notice = month.notice("e1")
    client = signed_in(month.world, "emp1")

    response = client.post(f"/appeals/new/?notice={notice.pk}", {"reason": "  "})

    assert response.status_code == 400
    content = response.content.decode()
    assert '<div class="invalid-feedback d-block">请填写申诉理由。</div>' in content
    assert not Appeal.objects.exists()


def test_a_second_appeal_on_the_same_matter_shows_the_services_refusal(month: Scenario) -> None:
    notice = month.notice("e1")
    first = month.appeal("emp1", notice)
    client = signed_in(month.world, "emp1")

    response = client.post(f"/appeals/new/?notice={notice.pk}", {"reason": "再次申诉"})

    assert response.status_code == 400
    assert f"该过失通知单已有处理中的申诉(#{first.pk})。" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_the_filing_window_is_the_services(scenario: Scenario) -> None:
    scenario.history("e1", 1)
    finding = Finding.objects.get()
    client = signed_in(scenario.world, "emp1")

    response = client.post(f"/appeals/new/?finding={finding.pk}", {"reason": "太迟了"})

    assert response.status_code == 400
    assert "已超过申诉期限" in response.content.decode()
    assert not Appeal.objects.exists()


def test_someone_elses_notice_cannot_be_appealed(month: Scenario) -> None:
    notice = month.notice("e1")

    assert (
        signed_in(month.world, "emp2").get(f"/appeals/new/?notice={notice.pk}").status_code == 404
    )
    sup_page = signed_in(month.world, "sup1").get(f"/notices/{notice.pk}/").content.decode()
    assert "/appeals/new/" not in sup_page
    response = signed_in(month.world, "sup1").post(
        f"/appeals/new/?notice={notice.pk}", {"reason": "代为申诉"}
    )
    assert response.status_code == 403
    assert not Appeal.objects.exists()
    assert signed_in(month.world, "emp1").get("/appeals/new/").status_code == 404


def test_the_inbox_shows_the_supervisors_appeals_and_marks_the_overdue(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    Appeal.objects.filter(pk=appeal.pk).update(level_due=month.today - dt.timedelta(days=1))

    content = signed_in(month.world, "sup1").get("/appeals/inbox/").content.decode()

    assert f"#{appeal.pk} 违规记录:" in content
    assert "张三" in content
    assert "1 件申诉已逾期未答复。" in content
    assert 'class="badge bg-red text-red-fg kp-overdue">逾期</span>' in content
    for other in ("emp2", "head1", "manager2"):
        page = signed_in(month.world, other).get("/appeals/inbox/").content.decode()
        assert "没有待处理的申诉。" in page
    assert signed_in(month.world, "manager2").get(f"/appeals/{appeal.pk}/").status_code == 404
    assert signed_in(month.world, "emp2").get(f"/appeals/{appeal.pk}/").status_code == 404


def _list_queries(code: str, rows: int) -> tuple[int, int]:
    """Queries of the supervisor's inbox and of 张三's appeals with `rows` appeals."""
    scenario = Scenario(build_world(code))
    scenario.policies()
    scenario.current_month()
    for _ in range(rows):
        scenario.appeal("emp1", scenario.notice("e1"))
    counts = []
    for user, url, row in (
        ("sup1", "/appeals/inbox/", '<tr class="kp-appeal'),
        ("emp1", "/appeals/", "kp-appeal"),
    ):
        client = signed_in(scenario.world, user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count(row) == rows
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_inbox_and_my_appeals_make_the_same_queries_for_1_and_20_rows() -> None:
    one = _list_queries("GZ", 1)
    twenty = _list_queries("SZ", 20)

    assert twenty == one
    assert max(one) <= 10


def test_the_supervisor_upholds_and_voids_the_finding(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    finding = appeal.finding
    assert finding is not None
    client = signed_in(month.world, "sup1")
    assert 'id="appeal-decide"' in client.get(f"/appeals/{appeal.pk}/").content.decode()

    response = client.post(
        f"/appeals/{appeal.pk}/decide/",
        {"outcome": "upheld", "reason": "监控显示在处理报修", f"action_{finding.pk}": "void"},
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    finding.refresh_from_db()
    assert appeal.status == "upheld"
    assert finding.status == Finding.Status.VOIDED
    content = signed_in(month.world, "emp1").get(f"/appeals/{appeal.pk}/").content.decode()
    assert "监控显示在处理报修" in content
    assert "申诉成立" in content
    assert f"{finding.description}:撤销" in content


def test_a_decision_needs_a_reason_and_a_correction_when_upheld(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    client = signed_in(month.world, "sup1")

    no_reason = client.post(f"/appeals/{appeal.pk}/decide/", {"outcome": "rejected"})
    no_correction = client.post(
        f"/appeals/{appeal.pk}/decide/", {"outcome": "partly_upheld", "reason": "部分属实"}
    )

    assert no_reason.status_code == 400
    assert '<div class="invalid-feedback d-block">请填写处理意见(决定理由)。</div>' in (
        no_reason.content.decode()
    )
    assert no_correction.status_code == 400
    assert "须至少更正一条违规记录" in no_correction.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "open"
    assert not appeal.steps.exists()


def test_only_the_holder_decides(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    data = {"outcome": "rejected", "reason": "不成立"}

    for name in ("emp1", "head1"):
        assert (
            signed_in(month.world, name).post(f"/appeals/{appeal.pk}/decide/", data).status_code
            == 403
        )
    assert (
        signed_in(month.world, "emp2").post(f"/appeals/{appeal.pk}/decide/", data).status_code
        == 404
    )
    appeal.refresh_from_db()
    assert appeal.status == "open"


def test_lowering_points_in_a_closed_month_shows_the_rescored_result(scenario: Scenario) -> None:
    scenario.history("e1", 1)
    finding = Finding.objects.get()
    old = Result.objects.get(employee=scenario.world.employees["e1"])
    appeal = appeal_file(
        actor=scenario.world.users["emp1"],
        finding=finding,
        reason="扣分过重",
        now=finding.occurred_at + dt.timedelta(hours=1),
    )
    client = signed_in(scenario.world, "sup1")

    response = client.post(
        f"/appeals/{appeal.pk}/decide/",
        {
            "outcome": "partly_upheld",
            "reason": "情节较轻",
            f"action_{finding.pk}": "change_points",
            f"points_{finding.pk}": "1",
        },
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    new = Result.objects.get(employee=scenario.world.employees["e1"], superseded_by=None)
    assert new.revision == 2
    content = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"{finding.description}:改变扣分" in content
    assert f"{old.period.key} 考核结果已重新计分(第 2 版)" in content
    assert timezone.localdate(finding.occurred_at) < scenario.today


def test_the_appellant_takes_a_rejection_to_the_next_level(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    signed_in(month.world, "sup1").post(
        f"/appeals/{appeal.pk}/decide/", {"outcome": "rejected", "reason": "证据不足"}
    )
    client = signed_in(month.world, "emp1")
    assert 'id="appeal-escalate"' in client.get(f"/appeals/{appeal.pk}/").content.decode()

    empty = client.post(f"/appeals/{appeal.pk}/escalate/", {"reason": ""})
    assert empty.status_code == 400
    assert '<div class="invalid-feedback d-block">请填写申请复核的理由。</div>' in (
        empty.content.decode()
    )
    assert (
        signed_in(month.world, "sup1")
        .post(f"/appeals/{appeal.pk}/escalate/", {"reason": "代为复核"})
        .status_code
        == 403
    )

    response = client.post(f"/appeals/{appeal.pk}/escalate/", {"reason": "有监控为证"})

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "open"
    assert appeal.level == "department_head"
    assert (
        "已申请上一级复核,现由部门主任处理。" in client.get(response["Location"]).content.decode()
    )
    head = signed_in(month.world, "head1").get("/appeals/inbox/").content.decode()
    assert f"#{appeal.pk} 违规记录:" in head


HTMX = {"HX-Request": "true", "HX-Target": "appeal-card"}


def test_the_decision_with_htmx_swaps_the_card_with_the_decision_and_correction(
    month: Scenario,
) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    finding = appeal.finding
    assert finding is not None
    client = signed_in(month.world, "sup1")
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'hx-post="/appeals/{appeal.pk}/decide/" hx-target="#appeal-card"' in page
    assert f'action="/appeals/{appeal.pk}/decide/"' in page  # works without JavaScript too

    response = client.post(
        f"/appeals/{appeal.pk}/decide/",
        {"outcome": "upheld", "reason": "监控显示在处理报修", f"action_{finding.pk}": "void"},
        headers=HTMX,
    )

    assert response.status_code == 200
    card = response.content.decode()
    assert card.lstrip().startswith('<div class="row row-cards" id="appeal-card"')
    assert "<html" not in card
    assert f"申诉 #{appeal.pk} 已处理:申诉成立。" in card
    assert "监控显示在处理报修" in card
    assert f"{finding.description}:撤销" in card
    assert 'id="appeal-decide"' not in card  # decided: no form any more
    assert 'id="appeal-status" hx-swap-oob="true"' in card
    appeal.refresh_from_db()
    finding.refresh_from_db()
    assert appeal.status == "upheld"
    assert finding.status == Finding.Status.VOIDED


def test_a_decision_without_reason_with_htmx_shows_the_error_next_to_the_field(
    month: Scenario,
) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    client = signed_in(month.world, "sup1")

    response = client.post(
        f"/appeals/{appeal.pk}/decide/", {"outcome": "rejected", "reason": " "}, headers=HTMX
    )

    assert response.status_code == 400
    card = response.content.decode()
    assert card.lstrip().startswith('<div class="row row-cards" id="appeal-card"')
    reason = card.index('name="reason"', card.index('id="appeal-decide"'))
    error = card.index('<div class="invalid-feedback d-block">请填写处理意见(决定理由)。</div>')
    assert reason < error < card.index("提交处理结果")  # under the field, inside the form
    assert 'value="rejected" checked' in card  # the choice kept
    appeal.refresh_from_db()
    assert appeal.status == "open"
    assert not appeal.steps.exists()


def test_a_decision_error_in_english_is_english(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    client = signed_in(month.world, "sup1", HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(f"/appeals/{appeal.pk}/decide/", {"outcome": "rejected"}, headers=HTMX)

    assert response.status_code == 400
    assert "请填写处理意见" not in response.content.decode()


def test_only_the_holder_decides_with_htmx_too(month: Scenario) -> None:
    appeal = month.appeal("emp1", month.notice("e1"))
    data = {"outcome": "rejected", "reason": "不成立"}

    head = signed_in(month.world, "head1").post(f"/appeals/{appeal.pk}/decide/", data, headers=HTMX)
    other = signed_in(month.world, "emp2").post(f"/appeals/{appeal.pk}/decide/", data, headers=HTMX)

    assert head.status_code == 403
    assert other.status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == "open"
