"""The employee's home page (我的考评): this month's live score and why, fault notices to answer
(htmx and plain forms), the self-assessment, the history chart, the appeals."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils.formats import date_format

from kaoping.appeals.models import Appeal
from kaoping.appraisals.models import Appraisal
from kaoping.appraisals.services.ratings import rating_submit
from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import FaultNotice
from kaoping.policies.selectors import engine_policy

from .conftest import signed_in
from .scenario import Scenario, months_before

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def month(scenario: Scenario) -> dict[str, object]:
    """张三 this month: two notices (−1.5 service, −4 post quality), the second appealed; 王五 has
    a notice of his own. No closed month before (`history` adds two)."""
    scenario.current_month()
    first = scenario.notice("e1")
    second = scenario.notice("e1")
    appeal = scenario.appeal("emp1", second)
    colleagues = scenario.notice("e2")
    return {"first": first, "second": second, "appeal": appeal, "colleagues": colleagues}


@pytest.fixture
def history(scenario: Scenario) -> Scenario:
    """Two closed months before this one (98.5 and 96.0), their notices signed for."""
    scenario.history("e1", 2)
    return scenario


def _text(html: str) -> str:
    """The page's text, tags dropped and spaces squeezed, for reading assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_shows_the_live_score_and_why(scenario: Scenario, month: dict) -> None:
    response = signed_in(scenario.world, "emp1").get("/")

    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert '<span class="kp-total" data-testid="live-total">94.5</span>' in html
    assert "岗位工作质量 16 20" in text  # section, score, maximum
    assert "服务质量 18.5 20" in text
    assert "违规扣分 5.5 绩效扣减 47.50 元" in text  # 5.5 × 5 yuan, and the 20 yuan band
    assert "<li>服务质量 −1.5:一般违规(1–2分)</li>" in html  # the engine's explanation
    assert "<li>总分 94.5</li>" in html


def test_home_lists_only_the_employees_own_unanswered_notices(
    history: Scenario, month: dict
) -> None:
    scenario = history
    html = signed_in(scenario.world, "emp1").get("/").content.decode()

    first, second, colleagues = month["first"], month["second"], month["colleagues"]
    assert f'id="notice-{first.pk}"' in html
    assert f'id="notice-{second.pk}"' in html
    assert f'id="notice-{colleagues.pk}"' not in html  # 王五's
    assert re.search(r'id="notices-open-count">2</span>', html)
    # last months' notices were signed for: not waiting any more
    assert html.count('class="card kp-notice mb-2"') == 2


def test_home_shows_the_appeal_and_the_history_chart(history: Scenario, month: dict) -> None:
    scenario = history
    html = signed_in(scenario.world, "emp1").get("/").content.decode()

    text = _text(html)
    assert "我的申诉 1" in text
    second: FaultNotice = month["second"]  # type: ignore[assignment]
    assert f"违规记录:{second.finding.description}" in text and "处理中" in text
    data = re.search(r'<script id="history-data" type="application/json">(.*?)</script>', html)
    assert data is not None
    keys = [f"{first:%Y-%m}" for first in months_before(scenario.today, 2)]
    assert f"{keys[0]} 98.5 — {keys[1]} 96.0 —" in text  # the data table under the chart
    assert json.loads(data.group(1)) == {
        "periods": keys,
        "totals": ["98.5", "96.0"],
        "grades": ["", ""],
    }


def test_home_says_when_no_self_assessment_is_needed(scenario: Scenario, month: dict) -> None:
    text = _text(signed_in(scenario.world, "emp1").get("/").content.decode())

    assert "本月的考评办法不需要自评,得分按检查记录计算。" in text


def test_home_asks_for_the_self_assessment_due(scenario: Scenario) -> None:
    # given 孙八, appraised on ratings with a self-assessment due in three days
    scenario.clerk()
    deadline = scenario.today + dt.timedelta(days=3)
    period = scenario.current_month(self_deadline=deadline)
    appraisal = Appraisal.objects.get(period=period, employee=scenario.world.employees["e8"])
    client = signed_in(scenario.world, "emp8")

    # when he opens his home page
    html = client.get("/").content.decode()

    # then it asks for the self-assessment, and the score waits for the ratings
    text = _text(html)
    assert f"请在 {date_format(deadline, 'DATE_FORMAT')} 前完成本月自评。" in text
    assert f'<a class="btn btn-primary" href="/appraisals/{appraisal.pk}/">去自评</a>' in html
    assert "暂时无法计分:" in text

    # when he has rated every item himself
    policy = engine_policy(appraisal.policy_version)
    values = {s.id: s.max for s in policy.sections if s.method == "rating"}
    rating_submit(
        actor=scenario.world.users["emp8"], appraisal=appraisal, rater_role="self", values=values
    )

    # then the card says it is done
    assert "本月自评已完成。" in _text(client.get("/").content.decode())


def test_home_without_an_open_month_says_so(scenario: Scenario) -> None:
    text = _text(signed_in(scenario.world, "emp1").get("/").content.decode())

    assert "本月暂无您的考核。" in text
    assert "没有待签收的过失通知单。" in text
    assert "还没有已关账的月份。" in text


def test_one_view_serves_the_page_and_its_fragments(scenario: Scenario, month: dict) -> None:
    client = signed_in(scenario.world, "emp1")

    live = client.get("/", headers={**HTMX, "HX-Target": "home-live"})
    notices = client.get("/", headers={**HTMX, "HX-Target": "home-notices"})

    assert live.status_code == 200 and notices.status_code == 200
    assert live.content.decode().lstrip().startswith('<section id="home-live"')
    assert "<html" not in live.content.decode()
    assert notices.content.decode().lstrip().startswith('<section class="card" id="home-notices"')
    assert "HX-Request" in live["Vary"]


def test_acknowledging_with_htmx_answers_the_updated_card(scenario: Scenario, month: dict) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]
    client = signed_in(scenario.world, "emp1")

    response = client.post(
        f"/notices/{first.pk}/acknowledge/",
        {"next": "/"},
        headers={**HTMX, "HX-Target": f"notice-{first.pk}"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<article class="card kp-notice mb-2 kp-notice-acknowledged" id="notice-{first.pk}"'
    )
    assert f"已签收过失通知单 {first.number}。" in html
    assert '<span id="notices-open-count" hx-swap-oob="true"' in html
    assert re.search(r'hx-swap-oob="true"[^>]*>1</span>', html)
    first.refresh_from_db()
    assert first.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="fault_notice.acknowledge").count() == 1


def test_acknowledging_without_javascript_redirects_back_with_a_message(
    scenario: Scenario, month: dict
) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]
    client = signed_in(scenario.world, "emp1")

    response = client.post(f"/notices/{first.pk}/acknowledge/", {"next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert f"已签收过失通知单 {first.number}。" in page
    assert re.search(r'id="notices-open-count">1</span>', page)


def test_acknowledging_never_redirects_off_site(scenario: Scenario, month: dict) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]

    response = signed_in(scenario.world, "emp1").post(
        f"/notices/{first.pk}/acknowledge/", {"next": "https://evil.example.com/"}
    )

    assert response["Location"] == f"/notices/{first.pk}/"


def test_a_dispute_needs_a_reason_shown_next_to_the_field(scenario: Scenario, month: dict) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]
    client = signed_in(scenario.world, "emp1")
    events = AuditEvent.objects.count()

    response = client.post(
        f"/notices/{first.pk}/dispute/",
        {"reason": "   "},
        headers={**HTMX, "HX-Target": f"notice-{first.pk}"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-control is-invalid"' in html
    assert '<div class="invalid-feedback d-block">请填写异议理由。</div>' in html
    assert '<details class="kp-dispute flex-grow-1" open>' in html
    first.refresh_from_db()
    assert first.disputed_at is None
    assert AuditEvent.objects.count() == events


def test_a_dispute_is_recorded_with_its_reason(scenario: Scenario, month: dict) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]

    response = signed_in(scenario.world, "emp1").post(
        f"/notices/{first.pk}/dispute/",
        {"reason": "当时在处理业主报修,前台有同事值守", "next": "/"},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.disputed_at is not None
    assert first.dispute_reason == "当时在处理业主报修,前台有同事值守"


def test_acknowledging_a_disputed_notice_is_refused_with_the_reason(
    scenario: Scenario, month: dict
) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]
    client = signed_in(scenario.world, "emp1")
    client.post(f"/notices/{first.pk}/dispute/", {"reason": "已签名"})

    response = client.post(f"/notices/{first.pk}/acknowledge/")

    assert response.status_code == 400
    assert "该通知单已提出异议。" in response.content.decode()
    first.refresh_from_db()
    assert first.acknowledged_at is None


def test_the_notice_page_is_printable(scenario: Scenario, month: dict) -> None:
    first: FaultNotice = month["first"]  # type: ignore[assignment]

    html = signed_in(scenario.world, "emp1").get(f"/notices/{first.pk}/").content.decode()

    text = _text(html)
    assert f"{first.number}" in text
    assert "员工 张三(GZ001)" in text
    assert "考评项目 服务质量" in text
    assert "扣分 1.5 " in text
    assert "window.print()" in html


def test_appeals_list_is_the_employees_own(scenario: Scenario, month: dict) -> None:
    # given 王五 appeals his notice too
    scenario.appeal("emp2", month["colleagues"])  # type: ignore[arg-type]

    text = _text(signed_in(scenario.world, "emp1").get("/").content.decode())

    assert Appeal.objects.count() == 2
    assert "我的申诉 1" in text
