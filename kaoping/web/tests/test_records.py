"""The record lists (检查记录, 违规记录, 运营记录): scope, filters, pagination, the Excel export of
exactly the filtered list, and the operations records' entry forms."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from kaoping.audit.models import AuditEvent
from kaoping.inspections.services import inspection_create
from kaoping.operations.models import Complaint, WorkPointEntry
from kaoping.operations.services import complaint_create, incident_create
from kaoping.org.tests.factories import World, build_world

from .conftest import signed_in
from .scenario import Scenario

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<tr><td")
COUNT = re.compile(r'data-testid="record-count">共 (\d+) 条<')


def _count(html: str) -> int:
    found = COUNT.search(html)
    assert found is not None, html[:2000]
    return int(found.group(1))


def _get(client: Client, path: str, **query: str) -> str:
    response = client.get(path, query)
    assert response.status_code == 200
    return response.content.decode()


def _sheet(response: object) -> list[list[object]]:
    """The exported rows below the header (the title and the export time come first)."""
    content = response.content  # type: ignore[attr-defined]
    rows = [list(row) for row in load_workbook(io.BytesIO(content)).active.values]
    header = next(i for i, row in enumerate(rows) if len([c for c in row if c]) > 2)
    return rows[header:]


def _complaint(world: World, unit: str, employee: str | None, **values: object) -> Complaint:
    when = values.pop("received_at", timezone.now() - dt.timedelta(hours=1))
    return complaint_create(
        actor=None,
        unit=world.units[unit],
        employee=world.employees[employee] if employee else None,
        received_at=when,  # type: ignore[arg-type]
        category="attitude",
        description=str(values.pop("description", "服务态度差")),
        **values,  # type: ignore[arg-type]
    )


def _complaints(world: World) -> None:
    _complaint(world, "t1", "e1", description="张三态度生硬")
    _complaint(world, "t2", "e2", description="王五未回电")
    _complaint(world, "t3", "e3", description="赵六迟到")


# --- findings 违规记录 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "names"),
    [
        ("sup1", {"张三"}),
        ("head1", {"张三", "王五"}),
        ("manager2", {"赵六"}),
        ("quality", {"张三", "王五", "赵六"}),
        ("emp1", {"张三"}),
        ("emp2", {"王五"}),
        ("hr", set()),
    ],
)
def test_the_findings_list_shows_only_the_viewers_scope(
    scenario: Scenario, user: str, names: set[str]
) -> None:
    for employee in ("e1", "e2", "e3"):
        scenario.finding(employee)

    html = _get(signed_in(scenario.world, user), "/findings/")

    assert _count(html) == len(names)
    for name in {"张三", "王五", "赵六"}:
        assert (f'<td class="text-nowrap">{name}</td>' in html) is (name in names)


def test_a_user_of_another_company_sees_none_of_its_findings(scenario: Scenario) -> None:
    scenario.finding("e1")
    other = build_world("SZ")

    html = _get(signed_in(other, "quality"), "/findings/")

    assert _count(html) == 0
    assert "没有符合条件的违规记录。" in html
    export = signed_in(other, "quality").get("/findings/export.xlsx")
    assert _sheet(export)[1:] == []


def test_each_finding_links_to_its_fault_notice(scenario: Scenario) -> None:
    notice = scenario.finding("e1")

    html = _get(signed_in(scenario.world, "sup1"), "/findings/")

    assert f'<a href="/notices/{notice.pk}/">{notice.number}</a>' in html
    assert signed_in(scenario.world, "sup1").get(f"/notices/{notice.pk}/").status_code == 200


def test_findings_filter_by_person_unit_month_and_section(scenario: Scenario) -> None:
    last_month = (scenario.today.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    when = dt.datetime.combine(last_month, dt.time(9), tzinfo=timezone.get_current_timezone())
    scenario.finding("e1")  # service
    scenario.finding("e2")  # post_quality
    scenario.finding("e1", when=when)  # handover, last month
    client = signed_in(scenario.world, "quality")
    world = scenario.world

    assert _count(_get(client, "/findings/", q="张三")) == 2
    assert _count(_get(client, "/findings/", q="GZ003")) == 1
    assert _count(_get(client, "/findings/", unit=str(world.units["t2"].pk))) == 1
    assert _count(_get(client, "/findings/", unit=str(world.units["cs1"].pk))) == 3
    assert _count(_get(client, "/findings/", month=f"{last_month:%Y-%m}")) == 1
    assert _count(_get(client, "/findings/", date_from=f"{scenario.today:%Y-%m-01}")) == 2
    assert _count(_get(client, "/findings/", section="post_quality")) == 1
    html = _get(client, "/findings/", section="handover", q="张三")
    assert _count(html) == 1
    assert "交接班记录未签名" in html


def test_an_invalid_filter_is_shown_next_to_its_field_and_left_out(scenario: Scenario) -> None:
    scenario.finding("e1")
    client = signed_in(scenario.world, "quality")

    html = _get(client, "/findings/", month="2026-13", q="张三")

    assert _count(html) == 1
    assert re.search(
        r'name="month"[^>]*is-invalid[^>]*>\s*<div class="invalid-feedback d-block" id="id_[a-z_]+_error">'
        r"请按“2026-10”的格式填写月份。</div>",
        html,
    )
    html = _get(client, "/findings/", date_from="2026-10-10", date_to="2026-10-01")
    assert "截止日期不能早于起始日期。" in html
    html = _get(client, "/findings/", unit=str(build_world("SZ").units["t1"].pk))
    assert "选择一个有效的选项" in html
    assert _count(html) == 1


def test_the_findings_list_pages_by_25_and_keeps_its_filters(scenario: Scenario) -> None:
    for _ in range(27):
        scenario.finding("e1")
    scenario.finding("e2")
    client = signed_in(scenario.world, "quality")

    first = _get(client, "/findings/", q="张三")
    second = _get(client, "/findings/", q="张三", page="2")

    assert _count(first) == 27
    assert len(ROW.findall(first)) == 25
    assert len(ROW.findall(second)) == 2
    assert 'href="?q=%E5%BC%A0%E4%B8%89&amp;page=2"' in first
    assert "第 2 / 2 页" in second


def test_the_findings_export_is_the_filtered_list_on_every_page(scenario: Scenario) -> None:
    for _ in range(27):
        scenario.finding("e1")
    scenario.finding("e2")
    client = signed_in(scenario.world, "quality")
    html = _get(client, "/findings/", q="张三")
    assert 'href="/findings/export.xlsx?q=%E5%BC%A0%E4%B8%89"' in html

    response = client.get("/findings/export.xlsx", {"q": "张三"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="findings-')
    rows = _sheet(response)
    assert rows[0][:5] == ["发生时间", "被考评人/单元", "工号", "所属单元", "考评项目"]
    assert len(rows[1:]) == 27
    assert {row[1] for row in rows[1:]} == {"张三"}
    assert {row[2] for row in rows[1:]} == {"GZ001"}


def test_an_employee_exports_only_their_own_findings(scenario: Scenario) -> None:
    scenario.finding("e1")
    scenario.finding("e2")

    rows = _sheet(signed_in(scenario.world, "emp2").get("/findings/export.xlsx"))

    assert [row[1] for row in rows[1:]] == ["王五"]


@override_settings(KAOPING_MAX_EXPORT_ROWS=2)
def test_an_export_above_the_limit_is_refused_with_the_reason(scenario: Scenario) -> None:
    for _ in range(3):
        scenario.finding("e1")
    client = signed_in(scenario.world, "quality")

    response = client.get("/findings/export.xlsx", {"q": "张三"})

    assert response.status_code == 302
    assert response["Location"] == "/findings/?q=%E5%BC%A0%E4%B8%89"
    html = client.get(response["Location"]).content.decode()
    assert "共 3 条,超过导出上限 2 条,请缩小筛选范围后再导出。" in html


# --- inspections 检查记录 ------------------------------------------------------------------------


def test_the_inspections_list_is_scoped_and_counts_the_visible_findings(
    scenario: Scenario,
) -> None:
    world = scenario.world
    now = scenario.now()
    inspection_create(actor=world.users["sup1"], unit=world.units["t1"], kind="patrol", at=now)
    inspection_create(actor=world.users["quality"], unit=world.units["t3"], kind="daily", at=now)
    notice = scenario.finding("e1")  # by quality, inspecting the company root
    scenario.finding("e2")

    sup = _get(signed_in(world, "sup1"), "/inspections/")
    employee = _get(signed_in(world, "emp1"), "/inspections/")
    quality = _get(signed_in(world, "quality"), "/inspections/")

    assert _count(sup) == 1  # only the team's own inspection
    assert "巡视" in sup
    assert _count(employee) == 1  # the inspection that found against 张三
    inspection = notice.finding.inspection_id
    assert f'<a href="/findings/?inspection={inspection}">1</a>' in employee
    assert _count(quality) == 4
    assert _count(_get(signed_in(world, "quality"), "/inspections/", kind="daily")) == 1
    assert _count(_get(signed_in(world, "quality"), "/inspections/", q="王五")) == 1
    findings = _get(signed_in(world, "emp1"), "/findings/", inspection=str(inspection))
    assert _count(findings) == 1


def test_the_inspections_export_is_the_filtered_list(scenario: Scenario) -> None:
    world = scenario.world
    inspection_create(
        actor=world.users["sup1"], unit=world.units["t1"], kind="patrol", at=scenario.now()
    )
    scenario.finding("e1")

    rows = _sheet(signed_in(world, "quality").get("/inspections/export.xlsx", {"kind": "patrol"}))

    assert rows[0] == ["检查时间", "检查类型", "受检单元", "检查地点", "检查人", "违规条数"]
    assert [row[1:3] + row[5:] for row in rows[1:]] == [["巡视", "服务一组", 0]]


# --- corrective actions 纠正措施 -----------------------------------------------------------------


def test_the_corrective_actions_export_follows_the_lists_filters(scenario: Scenario) -> None:
    # the findings cycle through five sections; the second of each five is serious and opens
    # a corrective action: one on 张三 (服务一组), one on 赵六 (服务三组)
    for employee in ("e1", "e1", "e3", "e3", "e3", "e3", "e3"):
        scenario.finding(employee)

    sup = _sheet(signed_in(scenario.world, "sup1").get("/corrective-actions/export.xlsx"))
    everyone = _sheet(
        signed_in(scenario.world, "quality").get(
            "/corrective-actions/export.xlsx", {"status": "open"}
        )
    )
    none = _sheet(
        signed_in(scenario.world, "quality").get(
            "/corrective-actions/export.xlsx", {"status": "verified"}
        )
    )

    assert [row[2] for row in sup[1:]] == ["服务一组"]
    assert sorted(str(row[4]) for row in everyone[1:]) == ["张三", "赵六"]
    assert none[1:] == []


def test_the_corrective_actions_list_links_to_its_filtered_export(scenario: Scenario) -> None:
    scenario.finding("e1")
    scenario.finding("e1")  # serious: a corrective action

    html = _get(signed_in(scenario.world, "sup1"), "/corrective-actions/", status="open")

    assert 'href="/corrective-actions/export.xlsx?status=open" data-testid="record-export"' in html


# --- operations records 运营记录 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "count"),
    [("sup1", 1), ("head1", 2), ("manager2", 1), ("quality", 3), ("emp1", 1), ("hr", 0)],
)
def test_an_operations_list_shows_only_the_viewers_scope(
    world: World, user: str, count: int
) -> None:
    _complaints(world)

    html = _get(signed_in(world, user), "/records/complaints/")

    assert _count(html) == count


def test_an_employee_sees_only_the_records_about_themselves(world: World) -> None:
    _complaints(world)
    incident_create(
        actor=None,
        unit=world.units["t1"],
        kind="theft",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        description="自行车被盗",
    )
    client = signed_in(world, "emp1")

    complaints = _get(client, "/records/complaints/")

    assert "张三态度生硬" in complaints
    assert "王五未回电" not in complaints
    assert _count(_get(client, "/records/incidents/")) == 0
    assert _count(_get(signed_in(world, "sup1"), "/records/incidents/")) == 1
    assert 'data-testid="record-new"' not in complaints


def test_another_company_sees_none_of_the_operations_records(world: World) -> None:
    _complaints(world)
    other = build_world("SZ")

    assert _count(_get(signed_in(other, "quality"), "/records/complaints/")) == 0


def test_operations_lists_filter_by_dates_unit_and_person(world: World) -> None:
    _complaints(world)
    _complaint(
        world,
        "t1",
        "e1",
        received_at=timezone.make_aware(dt.datetime(2026, 3, 5, 10)),
        description="三月的投诉",
    )
    client = signed_in(world, "quality")

    assert _count(_get(client, "/records/complaints/", month="2026-03")) == 1
    assert _count(_get(client, "/records/complaints/", date_to="2026-03-05")) == 1
    assert _count(_get(client, "/records/complaints/", date_from="2026-03-06")) == 3
    assert _count(_get(client, "/records/complaints/", q="张三")) == 2
    assert _count(_get(client, "/records/complaints/", unit=str(world.units["p2"].pk))) == 1
    html = _get(client, "/records/incidents/")
    assert 'name="q"' not in html  # incidents name nobody


def test_htmx_filters_get_only_the_list_and_its_filters(world: World) -> None:
    _complaints(world)

    response = signed_in(world, "quality").get(
        "/records/complaints/", {"q": "张三"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="records"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('\n<div id="records">')
    assert "<html" not in html
    assert _count(html) == 1
    assert 'href="/records/complaints/export.xlsx?q=%E5%BC%A0%E4%B8%89"' in html


def test_an_unknown_record_type_is_404(world: World) -> None:
    client = signed_in(world, "quality")

    assert client.get("/records/thefts/").status_code == 404
    assert client.get("/records/thefts/new/").status_code == 404
    assert client.get("/records/thefts/export.xlsx").status_code == 404


def test_the_operations_export_is_the_filtered_list(world: World) -> None:
    _complaints(world)
    client = signed_in(world, "head1")

    rows = _sheet(client.get("/records/complaints/export.xlsx", {"q": "王五"}))

    assert rows[0][:6] == ["受理时间", "单位", "责任人", "工号", "投诉类别", "投诉渠道"]
    assert rows[0][-1] == "外部编号"
    assert [row[2:5] for row in rows[1:]] == [["王五", "GZ003", "服务态度"]]


def test_formula_like_text_is_neutralised_in_the_export(world: World) -> None:
    _complaint(world, "t1", "e1", description='=HYPERLINK("http://x")')

    rows = _sheet(signed_in(world, "quality").get("/records/complaints/export.xlsx"))

    assert rows[1][7] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "slug",
    ["complaints", "incidents", "calls", "work-orders", "fees", "visits", "surveys", "work-points"],
)
def test_every_record_type_has_a_list_a_form_and_an_export(world: World, slug: str) -> None:
    client = signed_in(world, "sup1")

    assert client.get(f"/records/{slug}/").status_code == 200
    assert client.get(f"/records/{slug}/new/").status_code == 200
    export = client.get(f"/records/{slug}/export.xlsx")
    assert export.status_code == 200
    assert _sheet(export)[1:] == []


def test_the_records_index_lists_every_type(world: World) -> None:
    html = _get(signed_in(world, "sup1"), "/records/")

    for title in (
        "投诉",
        "事故",
        "电话统计",
        "工单",
        "物业费收缴",
        "业主走访",
        "满意度调查",
        "工作积分",
    ):
        assert f">{title}</a></h3>" in html
    assert 'href="/records/complaints/new/"' in html
    assert 'href="/records/complaints/new/"' not in _get(signed_in(world, "emp1"), "/records/")


# --- entry forms ---------------------------------------------------------------------------------


def test_a_supervisor_enters_a_complaint_for_their_team(world: World) -> None:
    client = signed_in(world, "sup1")
    form = _get(client, "/records/complaints/new/")
    assert f'<option value="{world.units["t1"].pk}">服务一组</option>' in form
    assert f'<option value="{world.units["t2"].pk}">' not in form
    events = AuditEvent.objects.count()

    response = client.post(
        "/records/complaints/new/",
        {
            "unit": world.units["t1"].pk,
            "received_at": "2026-11-02T09:30",
            "category": "attitude",
            "description": "前台接待不耐烦",
            "employee": "GZ001",
            "valid": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/records/complaints/"
    complaint = Complaint.objects.get()
    assert complaint.employee == world.employees["e1"]
    assert complaint.valid is True
    assert complaint.created_by == world.users["sup1"]
    assert timezone.localtime(complaint.received_at).replace(tzinfo=None) == dt.datetime(
        2026, 11, 2, 9, 30
    )
    assert AuditEvent.objects.count() == events + 1
    assert "已录入投诉。" in client.get("/records/complaints/").content.decode()


def test_entry_errors_come_back_next_to_their_fields_in_chinese(world: World) -> None:
    client = signed_in(world, "sup1")

    response = client.post(
        "/records/complaints/new/",
        {
            "unit": world.units["t1"].pk,
            "received_at": "2026-11-02T09:30",
            "category": "attitude",
            "description": "",
            "employee": "GZ999",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'name="description"[^>]*>\s*</textarea>\s*<div class="invalid-feedback d-block" id="id_[a-z_]+_error">'
        r"该字段是必填项。</div>",
        html,
    )
    assert "没有工号为“GZ999”的员工(或您无权查看)。" in html
    assert Complaint.objects.count() == 0


def test_the_services_refusals_come_back_next_to_their_fields(world: World) -> None:
    client = signed_in(world, "head1")
    events = AuditEvent.objects.count()

    response = client.post(
        "/records/complaints/new/",
        {
            "unit": world.units["t1"].pk,
            "received_at": "2026-11-02T09:30",
            "resolved_at": "2026-11-01T09:30",
            "category": "attitude",
            "description": "前台接待不耐烦",
            "employee": "GZ003",  # 王五 works in 服务二组
            "major": "on",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'name="major"[^>]*>\s*<span class="form-check-label">重大投诉</span></label>\s*'
        r'<div class="invalid-feedback d-block" id="id_[a-z_]+_error">重大投诉必须同时认定为有效投诉。</div>',
        html,
    )
    assert "处理完成时间不能早于受理时间。" in html
    assert "员工“王五(GZ003)”在 2026-11-02 未在“服务一组”或其下属单位任职。" in html
    assert Complaint.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_unit_outside_the_writers_reach_is_refused(world: World) -> None:
    client = signed_in(world, "sup1")

    response = client.post(
        "/records/incidents/new/",
        {
            "unit": world.units["t3"].pk,
            "occurred_at": "2026-11-02T09:30",
            "kind": "theft",
            "description": "电动车被盗",
        },
    )

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()


@pytest.mark.parametrize("user", ["emp1", "hr", "finance", "admin"])
def test_who_may_not_enter_records_gets_403(world: World, user: str) -> None:
    client = signed_in(world, user)

    assert client.get("/records/complaints/new/").status_code == 403
    response = client.post(
        "/records/incidents/new/",
        {
            "unit": world.units["t1"].pk,
            "occurred_at": "2026-11-02T09:30",
            "kind": "theft",
            "description": "电动车被盗",
        },
    )
    assert response.status_code == 403


def test_a_penalty_without_points_deducts_the_seeds_amount(world: World) -> None:
    client = signed_in(world, "head1")

    response = client.post(
        "/records/work-points/new/",
        {
            "unit": world.units["t2"].pk,
            "date": "2026-11-03",
            "employee": "GZ003",
            "kind": "customer_quarrel",
        },
    )

    assert response.status_code == 302
    entry = WorkPointEntry.objects.get()
    assert entry.points == Decimal("-50.00")
    html = _get(client, "/records/work-points/")
    assert "与客户发生争吵" in html
    assert "-50.00" in html


def test_a_fee_collection_is_entered_by_month(world: World) -> None:
    client = signed_in(world, "manager1")

    response = client.post(
        "/records/fees/new/",
        {
            "unit": world.units["cs1"].pk,
            "month": "2026-10",
            "households_due": "200",
            "households_paid": "180",
            "amount_due": "50000",
            "amount_paid": "45000",
            "task_amount": "48000",
        },
    )

    assert response.status_code == 302
    html = _get(client, "/records/fees/")
    assert '<td class="text-nowrap">2026-10</td>' in html
    assert "90.0%" in html


# --- menu ----------------------------------------------------------------------------------------


def test_the_menu_offers_the_record_lists_to_those_who_read_records(world: World) -> None:
    sup = _get(signed_in(world, "sup1"), "/")
    employee = _get(signed_in(world, "emp1"), "/")

    for href in ('href="/inspections/"', 'href="/findings/"', 'href="/records/"'):
        assert href in sup
        assert href not in employee


@pytest.mark.parametrize(
    "path",
    ["/findings/", "/inspections/export.xlsx", "/records/", "/records/complaints/new/"],
)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_a_checklist_item_is_listed_by_its_title_in_the_policy(db: None) -> None:
    from kaoping.inspections.models import Finding
    from kaoping.policies.models import PolicyVersion
    from kaoping.policies.services import builtin_policies_install

    from ..views.records_specs import item_title

    world = build_world("GZ")
    builtin_policies_install(actor=None, company=world.company)
    version = PolicyVersion.objects.get(
        document__company=world.company, document__code="cs-staff-monthly"
    )
    listed = Finding(policy_version=version, section="attendance", item="late_or_no_clock")
    unknown = Finding(policy_version=version, section="attendance", item="旧表格条目")

    assert item_title(listed) == "无故迟到 5 分钟以上、无故不打卡、未签卡"
    assert item_title(unknown) == "旧表格条目"
    assert item_title(Finding(policy_version=version, section="attendance", item="")) == ""
