"""奖扣分 approval: the entries waiting for a department head or project manager, approved or
rejected in place (htmx) or by a plain post, through the ratings services, audited."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.appraisals.models import Appraisal, ScoreEntry
from kaoping.appraisals.services.ratings import score_entry_add, score_entry_approve
from kaoping.audit.models import AuditEvent

from .conftest import signed_in
from .scenario import Scenario
from .test_supervisor import rated_clerk

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _htmx(pk: int) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Target": f"entry-{pk}"}


@pytest.fixture
def appraisal(scenario: Scenario) -> Appraisal:
    clerk = rated_clerk(scenario)
    scenario.current_month()
    return Appraisal.objects.get(employee=clerk)


def _propose(scenario: Scenario, appraisal: Appraisal, value: str = "-2", by: str = "sup1"):  # type: ignore[no-untyped-def]
    return score_entry_add(
        actor=scenario.world.users[by],
        appraisal=appraisal,
        kind="adjustment",
        value=Decimal(value),
        reason="月底催缴记录缺失",
    )


def test_the_head_sees_the_pending_entry_and_approves_it_with_htmx(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    entry = _propose(scenario, appraisal)
    head = signed_in(scenario.world, "head1")

    page = head.get("/entries/pending/")
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert "待批准奖扣分" in text
    assert "周九 · 奖扣分 -2 待批准" in text
    assert "月底催缴记录缺失" in text
    html = page.content.decode()
    assert f'hx-post="/entries/{entry.pk}/approve/" hx-target="#entry-{entry.pk}"' in html
    assert f'action="/entries/{entry.pk}/approve/"' in html  # works without JavaScript

    answer = head.post(f"/entries/{entry.pk}/approve/", headers=_htmx(entry.pk))

    assert answer.status_code == 200
    fragment = answer.content.decode()
    assert fragment.lstrip().startswith("<article")
    assert "已批准,计入考核得分。" in fragment
    assert 'data-testid="entry-state">已批准' in fragment
    assert "/approve/" not in fragment  # decided: no buttons any more
    entry.refresh_from_db()
    assert entry.approved_by == scenario.world.users["head1"]
    assert AuditEvent.objects.filter(action="score_entry.approve", object_id=str(entry.pk)).exists()
    assert "没有等待您批准的奖扣分。" in _text(head.get("/entries/pending/").content.decode())


def test_the_manager_rejects_with_a_reason_by_a_plain_post(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    entry = _propose(scenario, appraisal)
    manager = signed_in(scenario.world, "manager1")

    answer = manager.post(f"/entries/{entry.pk}/reject/", {"reason": "无书面依据"})

    assert answer.status_code == 302
    assert answer["Location"] == "/entries/pending/"
    entry.refresh_from_db()  # kept, marked rejected with the reason, never counted
    assert (entry.approved_at, entry.rejected_by, entry.rejection_reason) == (
        None,
        scenario.world.users["manager1"],
        "无书面依据",
    )
    event = AuditEvent.objects.get(action="score_entry.reject", object_id=str(entry.pk))
    assert event.reason == "无书面依据"
    assert event.before["reason"] == "月底催缴记录缺失"
    assert "已驳回,不计入考核得分。" in manager.get("/entries/pending/").content.decode()
    # no longer pending: neither approved nor rejected again
    assert manager.post(f"/entries/{entry.pk}/approve/").status_code == 404
    assert manager.post(f"/entries/{entry.pk}/reject/", {"reason": "再次"}).status_code == 404
    with pytest.raises(ValidationError) as refused:
        score_entry_approve(actor=scenario.world.users["head1"], entry=entry)
    assert refused.value.message_dict == {"approved_by": ["该奖扣分已处理。"]}
    sheet = signed_in(scenario.world, "sup1").get(f"/appraisals/{appraisal.pk}/rate/")
    assert '<span class="text-danger">已驳回</span>:无书面依据' in sheet.content.decode()


def test_a_rejection_needs_a_reason_next_to_the_field(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    entry = _propose(scenario, appraisal)
    head = signed_in(scenario.world, "head1")

    htmx = head.post(f"/entries/{entry.pk}/reject/", {"reason": " "}, headers=_htmx(entry.pk))
    plain = head.post(f"/entries/{entry.pk}/reject/", {"reason": ""})

    for answer in (htmx, plain):
        assert answer.status_code == 400
        html = answer.content.decode()
        field = html.index(f'id="entry-{entry.pk}-reason"')
        error = html.index('<div class="invalid-feedback d-block">请填写驳回理由。</div>')
        assert field < error < html.index("驳回</span></button>")
    assert htmx.content.decode().lstrip().startswith("<article")
    assert "<html" in plain.content.decode()  # the whole page again without JavaScript
    assert ScoreEntry.objects.filter(pk=entry.pk, approved_at__isnull=True).exists()
    assert not AuditEvent.objects.filter(action="score_entry.reject").exists()


def test_who_may_not_approve_or_reject(scenario: Scenario, appraisal: Appraisal) -> None:
    entry = _propose(scenario, appraisal)
    reject = {"reason": "不同意"}

    # The supervisor who proposed it and quality see the appraisal but may not approve: 403.
    for name in ("sup1", "quality"):
        client = signed_in(scenario.world, name)
        assert client.post(f"/entries/{entry.pk}/approve/").status_code == 403
        assert client.post(f"/entries/{entry.pk}/reject/", reject).status_code == 403
        assert "没有等待您批准的奖扣分。" in client.get("/entries/pending/").content.decode()
    # Outside their scope (another project, another team's employee): 404, never listed.
    for name in ("manager2", "emp2"):
        client = signed_in(scenario.world, name)
        assert client.post(f"/entries/{entry.pk}/approve/").status_code == 404
        assert client.post(f"/entries/{entry.pk}/reject/", reject).status_code == 404
        assert "月底催缴记录缺失" not in client.get("/entries/pending/").content.decode()
    entry.refresh_from_db()
    assert entry.approved_at is None
    assert not AuditEvent.objects.filter(
        action__in=["score_entry.approve", "score_entry.reject"]
    ).exists()


def test_nobody_approves_or_rejects_their_own_entry(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    entry = _propose(scenario, appraisal, by="head1")
    head = signed_in(scenario.world, "head1")

    assert "月底催缴记录缺失" not in head.get("/entries/pending/").content.decode()
    approve = head.post(f"/entries/{entry.pk}/approve/", headers=_htmx(entry.pk))
    reject = head.post(f"/entries/{entry.pk}/reject/", {"reason": "撤回"}, headers=_htmx(entry.pk))

    assert approve.status_code == 400
    assert "不能批准自己录入的奖扣分。" in approve.content.decode()
    assert reject.status_code == 400
    assert "不能驳回自己录入的奖扣分。" in reject.content.decode()
    entry.refresh_from_db()
    assert entry.approved_at is None
    # Someone else over the unit may.
    manager = signed_in(scenario.world, "manager1")
    assert manager.post(f"/entries/{entry.pk}/approve/").status_code == 302


def test_an_approved_entry_is_no_longer_pending(scenario: Scenario, appraisal: Appraisal) -> None:
    entry = _propose(scenario, appraisal)
    head = signed_in(scenario.world, "head1")
    assert head.post(f"/entries/{entry.pk}/approve/").status_code == 302

    assert head.post(f"/entries/{entry.pk}/approve/").status_code == 404
    assert head.post(f"/entries/{entry.pk}/reject/", {"reason": "x"}).status_code == 404
    assert ScoreEntry.objects.filter(pk=entry.pk, approved_at__isnull=False).exists()


def test_the_menu_shows_the_page_to_approvers_only(scenario: Scenario) -> None:
    for name, shown in (("head1", True), ("manager1", True), ("sup1", False), ("emp1", False)):
        html = signed_in(scenario.world, name).get("/").content.decode()
        assert ('href="/entries/pending/"' in html) is shown, name


def test_the_list_makes_the_same_queries_for_1_and_20_entries(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    head = signed_in(scenario.world, "head1")
    _propose(scenario, appraisal)
    with CaptureQueriesContext(connection) as one:
        head.get("/entries/pending/")
    for _ in range(19):
        _propose(scenario, appraisal, value="1")
    with CaptureQueriesContext(connection) as twenty:
        response = head.get("/entries/pending/")

    assert response.content.decode().count('class="card mb-2 kp-entry"') == 20
    assert len(twenty) == len(one)
    assert len(one) <= 12


def test_the_list_is_paginated(scenario: Scenario, appraisal: Appraisal) -> None:
    for _ in range(26):
        _propose(scenario, appraisal, value="1")
    head = signed_in(scenario.world, "head1")

    first = head.get("/entries/pending/").content.decode()
    second = head.get("/entries/pending/?page=2").content.decode()

    assert first.count('class="card mb-2 kp-entry"') == 25
    assert second.count('class="card mb-2 kp-entry"') == 1
    assert "第 1/2 页,共 26 条" in first


def test_the_sheet_links_a_pending_entry_to_its_approval_for_approvers_only(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    entry = _propose(scenario, appraisal)
    link = f'href="/entries/pending/#entry-{entry.pk}"'

    for name, shown in (("head1", True), ("manager1", True), ("sup1", False), ("quality", False)):
        html = signed_in(scenario.world, name).get(f"/appraisals/{appraisal.pk}/rate/")
        assert (link in html.content.decode()) is shown, name
