"""The appraisal form (考核表) as the supervisor fills it: 上级评 with the bands, 奖扣分, the
interview, the rater's signature; through the ratings services."""

from __future__ import annotations

import re

import pytest

from kaoping.appraisals.models import Appraisal, InterviewNote, Rating, ScoreEntry
from kaoping.audit.models import AuditEvent

from .conftest import signed_in
from .scenario import Scenario
from .test_supervisor import rated_clerk

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "appraisal-sheet"}
# cs-admin-monthly's rated items and a score in the 合格 band of each.
GOOD = {
    "dedication": "6",
    "communication": "9.5",
    "reception_complaints": "11",
    "fee_collection": "14",
    "repairs_followup": "9",
    "environment": "8",
    "facilities": "7",
    "public_order": "4.5",
    "meetings_training": "5",
    "compliance": "5",
    "assigned_tasks": "4",
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def appraisal(scenario: Scenario) -> Appraisal:
    clerk = rated_clerk(scenario)
    scenario.current_month()
    return Appraisal.objects.get(employee=clerk)


def _values(values: dict[str, str]) -> dict[str, str]:
    return {f"value_{item}": value for item, value in values.items()}


def test_the_form_in_the_seed_layout(scenario: Scenario, appraisal: Appraisal) -> None:
    response = signed_in(scenario.world, "sup1").get(f"/appraisals/{appraisal.pk}/rate/")

    html = response.content.decode()
    text = _text(html)
    assert response.status_code == 200
    assert "客服中心管理员月度绩效考核表" in text
    assert "岗位:管理员 被考核人: 周九 (GZ010) 考核月度:" in text
    assert "考核内容 合格 部分合格 单项最高分 自评 直接上级评" in text
    assert "5-6分 1-5分 (不含5分) 6 —" in text  # bands, maximum, no self-rating yet
    assert html.count('class="form-control form-control-sm text-center kp-rating-input') == 11
    assert "实评 自评×30% + 直接上级评×70% + 奖扣分 待评分" in text


def test_ratings_out_of_range_are_refused_next_to_the_item(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    response = signed_in(scenario.world, "sup1").post(
        f"/appraisals/{appraisal.pk}/rate/submit/",
        _values({**GOOD, "communication": "11"}),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'name="value_communication"[^>]*is-invalid[^>]*value="11">\s*'
        r'<div class="invalid-feedback d-block text-start">11 超出沟通协调的分值范围 0–10</div>',
        html,
    )
    assert not Rating.objects.exists()


def test_the_supervisor_rates_and_the_dashboard_stops_asking(
    scenario: Scenario, appraisal: Appraisal
) -> None:
    client = signed_in(scenario.world, "sup1")
    assert "周九" in _text(client.get("/").content.decode().split('id="sup-ratings"')[1])

    response = client.post(f"/appraisals/{appraisal.pk}/rate/submit/", _values(GOOD), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="appraisal-sheet"') and "<html" not in html
    assert "已保存上级评分。" in html
    assert 'name="value_communication" id="id_value_communication"' in html
    assert 'value="9.5"' in html
    ratings = Rating.objects.filter(appraisal=appraisal, rater_role="supervisor")
    assert ratings.count() == 11
    assert {r.rater_id for r in ratings} == {scenario.world.users["sup1"].pk}
    assert AuditEvent.objects.filter(action="rating.submit").count() == 1
    dashboard = _text(client.get("/").content.decode().split('id="sup-ratings"')[1])
    assert "没有待评分的考核。" in dashboard

    # The same values again change nothing.
    again = client.post(f"/appraisals/{appraisal.pk}/rate/submit/", _values(GOOD))
    assert again.status_code == 302
    assert "评分没有变化。" in _text(client.get(again["Location"]).content.decode())
    assert ratings.count() == 11


def test_entries_interview_and_signature(scenario: Scenario, appraisal: Appraisal) -> None:
    client = signed_in(scenario.world, "sup1")
    base = f"/appraisals/{appraisal.pk}"

    too_much = client.post(f"{base}/entries/", {"kind": "adjustment", "value": "20", "reason": "x"})
    assert too_much.status_code == 400
    assert "20 超出奖扣分的范围 -10–10。" in _text(too_much.content.decode())
    assert not ScoreEntry.objects.exists()

    entry = client.post(
        f"{base}/entries/",
        {"kind": "adjustment", "value": "-2", "reason": "月底催缴记录缺失"},
        headers=HTMX,
    )
    assert entry.status_code == 200
    assert "奖扣分 -2 · 月底催缴记录缺失 · 待批准" in _text(entry.content.decode())

    empty = client.post(f"{base}/interview/", {"text": ""})
    assert empty.status_code == 400
    assert "请填写面谈记录。" in _text(empty.content.decode())
    note = client.post(f"{base}/interview/", {"text": "催缴工作需加强,下月跟进。"})
    assert note.status_code == 302
    assert InterviewNote.objects.get(appraisal=appraisal).text == "催缴工作需加强,下月跟进。"

    signed = client.post(f"{base}/sign/", headers=HTMX)
    assert signed.status_code == 200
    assert 'data-testid="rater-signed">李四</strong>' in signed.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.rater_signed_by == scenario.world.users["sup1"]


def test_out_of_scope_is_404(scenario: Scenario, appraisal: Appraisal) -> None:
    for name in ("manager2", "emp1"):
        client = signed_in(scenario.world, name)
        assert client.get(f"/appraisals/{appraisal.pk}/rate/").status_code == 404
        response = client.post(f"/appraisals/{appraisal.pk}/rate/submit/", _values(GOOD))
        assert response.status_code == 404
    assert not Rating.objects.exists()


def test_a_reader_who_may_not_rate_sees_no_inputs(scenario: Scenario, appraisal: Appraisal) -> None:
    html = signed_in(scenario.world, "manager1").get(f"/appraisals/{appraisal.pk}/rate/")
    content = html.content.decode()
    assert html.status_code == 200
    assert "kp-rating-input" not in content
    assert 'data-testid="save-ratings"' not in content
