"""The API's reference and evidence reads: team ranking (items, values, member grades), the
working-day calendar, policies (built-in and the company's), role assignments and finding
photos. What each role reads, what another company's user reads (nothing), pagination, filters,
and the writes a service backs (a team's ranking value, a calendar day).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from PIL import Image
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from kaoping.api.services import token_create
from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ROLES, ApiWorld, listed
from kaoping.appeals.models import Holiday
from kaoping.appeals.services.holidays import holiday_set
from kaoping.appraisals.models import Appraisal, MemberGrade, RankingItem, RankingValue
from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import FindingPhoto
from kaoping.inspections.services import finding_photo_add
from kaoping.org.models import RoleAssignment
from kaoping.org.tests.factories import World, build_world
from kaoping.policies.models import PolicyDocument, PolicyVersion
from kaoping.policies.services import builtin_policies_install
from kaoping.scoring import builtin_policies

Client = Callable[[str | None], APIClient]
OTHERS = ["sz-quality", "sz-hr", "sz-admin"]


class Extra:
    """What the module adds to the API world: another company, ranking rows, member grades,
    calendar days."""

    other: World
    secrets: dict[str, str]
    items: dict[str, int]  # "cs1", "cs2", "sz" → item id
    values: dict[str, int]  # "t1", "t2", "t3" → value id
    grades: dict[str, int]  # "e1", "e3" → member grade id
    holidays: dict[str, int]  # "GZ", "SZ" → a holiday id


@pytest.fixture(scope="module")
def extra(api_world: ApiWorld, django_db_blocker: DjangoDbBlocker) -> Extra:
    """Another company (SZ) with its policies and calendar; the GZ world's October ranking
    items (of both departments), its teams' values and two member grades. Ranking items and
    member grades are written straight into their tables (setting them through the services
    needs a ranked team policy in force, which the API world does not have)."""
    w = api_world.world
    made = Extra()
    with django_db_blocker.unblock():
        made.other = build_world("SZ")
        builtin_policies_install(actor=None, company=made.other.company)
        made.secrets = {
            f"sz-{name}": token_create(actor=None, user=made.other.users[name])[1]
            for name in ("quality", "hr", "admin")
        }
        october = api_world.periods["2026-10"]
        items = {
            unit: RankingItem.objects.create(
                period=october, unit=w.units[unit], code="calls", title="接通率", level=1
            )
            for unit in ("cs1", "cs2")
        }
        made.items = {unit: item.pk for unit, item in items.items()}
        made.values = {
            team: RankingValue.objects.create(
                item=items[department], team=w.units[team], value=Decimal("95.50")
            ).pk
            for team, department in (("t1", "cs1"), ("t2", "cs1"), ("t3", "cs2"))
        }
        made.grades = {}
        for employee, department in (("e1", "cs1"), ("e3", "cs2")):
            appraisal = Appraisal.objects.get(period=october, subject_unit=w.units[department])
            made.grades[employee] = MemberGrade.objects.create(
                appraisal=appraisal,
                employee=w.employees[employee],
                grade="A",
                set_by=w.users["sup1"],
            ).pk
        made.holidays = {
            "GZ": holiday_set(
                actor=None, company=w.company, date=dt.date(2026, 10, 1), name="国庆节"
            ).pk,
            "SZ": holiday_set(
                actor=None, company=made.other.company, date=dt.date(2026, 10, 2), name="国庆节"
            ).pk,
        }
        holiday_set(
            actor=None, company=w.company, date=dt.date(2026, 10, 10), name="调休", workday=True
        )
    return made


@pytest.fixture
def client_of(api_client: Client, extra: Extra) -> Client:
    """`client_of("sup1")` as api_client; `client_of("sz-quality")`: the other company's users."""

    def make(name: str | None) -> APIClient:
        if name in extra.secrets:
            made = APIClient()
            made.credentials(HTTP_AUTHORIZATION=f"Token {extra.secrets[name]}")
            return made
        return api_client(name)

    return make


# --- ranking items and values -------------------------------------------------------------------

ITEMS_SEEN = {
    "emp1": set(),
    "emp2": set(),
    "sup1": {"cs1"},  # the department of their team
    "head1": {"cs1"},
    "manager1": {"cs1"},
    "manager2": {"cs2"},
    "quality": {"cs1", "cs2"},
    "hr": {"cs1", "cs2"},
    "finance": {"cs1", "cs2"},
    "admin": set(),
}
VALUES_SEEN = {
    "emp1": set(),
    "emp2": set(),
    "sup1": {"t1"},
    "head1": {"t1", "t2"},
    "manager1": {"t1", "t2"},
    "manager2": {"t3"},
    "quality": {"t1", "t2", "t3"},
    "hr": {"t1", "t2", "t3"},
    "finance": {"t1", "t2", "t3"},
    "admin": set(),
}


@pytest.mark.parametrize("role", ROLES + OTHERS)
def test_ranking_items_and_values_show_to_who_reads_the_results_there(
    extra: Extra, client_of: Client, role: str
) -> None:
    client = client_of(role)
    items = {extra.items[unit] for unit in ITEMS_SEEN.get(role, set())}
    values = {extra.values[team] for team in VALUES_SEEN.get(role, set())}

    assert listed(client, "/api/ranking-items/") == items
    assert listed(client, "/api/ranking-values/") == values
    for unit, pk in extra.items.items():
        expected = 200 if pk in items else 404
        assert client.get(f"/api/ranking-items/{pk}/").status_code == expected, unit
    for team, pk in extra.values.items():
        expected = 200 if pk in values else 404
        assert client.get(f"/api/ranking-values/{pk}/").status_code == expected, team


def test_a_ranking_item_and_a_value_read_as_the_sheet_names_them(
    extra: Extra, client_of: Client
) -> None:
    quality = client_of("quality")

    item = quality.get(f"/api/ranking-items/{extra.items['cs1']}/").json()
    value = quality.get(f"/api/ranking-values/{extra.values['t1']}/").json()

    assert item == {
        "id": extra.items["cs1"],
        "period": "2026-10",
        "unit": "GZ-P1-CS",
        "code": "calls",
        "title": "接通率",
        "level": 1,
        "better": "higher",
    }
    assert value == {
        "id": extra.values["t1"],
        "item": extra.items["cs1"],
        "period": "2026-10",
        "code": "calls",
        "team": "GZ-P1-T1",
        "value": "95.50",
    }


def test_ranking_lists_filter_by_period_unit_and_item(extra: Extra, client_of: Client) -> None:
    quality = client_of("quality")

    assert listed(quality, "/api/ranking-items/?unit=GZ-P2-CS") == {extra.items["cs2"]}
    assert listed(quality, "/api/ranking-items/?period=2026-09") == set()
    assert listed(quality, "/api/ranking-values/?unit=GZ-P1") == {
        extra.values["t1"],
        extra.values["t2"],
    }
    assert listed(quality, f"/api/ranking-values/?item={extra.items['cs2']}") == {
        extra.values["t3"]
    }
    assert listed(quality, "/api/ranking-values/?period=2026-10") == set(extra.values.values())
    page = quality.get("/api/ranking-values/?page_size=2&ordering=id").json()
    assert (page["count"], len(page["results"]), page["next"] is not None) == (3, 2, True)


@pytest.mark.parametrize(
    ("role", "code"),
    [("head1", 201), ("quality", 201), ("manager2", 400), ("sup1", 400), ("hr", 403)],
)
def test_the_department_head_or_quality_sets_a_teams_value(
    extra: Extra, client_of: Client, role: str, code: int
) -> None:
    before = AuditEvent.objects.count()

    response = client_of(role).post(
        "/api/ranking-values/",
        {"item": extra.items["cs1"], "team": "GZ-P1-T2", "value": "88.25"},
        format="json",
    )

    assert response.status_code == code, response.json()
    stored = RankingValue.objects.get(pk=extra.values["t2"]).value
    if code == 201:
        assert response.json()["id"] == extra.values["t2"]  # the team's value, replaced
        assert response.json()["value"] == "88.25"
        assert stored == Decimal("88.25")
        assert AuditEvent.objects.count() == before + 1
    else:
        assert stored == Decimal("95.50")
        assert AuditEvent.objects.count() == before
    if role == "manager2":  # does not see the item of the other project
        assert response.json() == {
            "item": [f"没有编号为 {extra.items['cs1']} 的评比项目(或您无权查看)。"],
            "team": ["没有编码为“GZ-P1-T2”的单元(或您无权查看)。"],
        }


def test_a_value_for_a_team_outside_the_items_department_is_refused(
    extra: Extra, client_of: Client
) -> None:
    response = client_of("quality").post(
        "/api/ranking-values/",
        {"item": extra.items["cs1"], "team": "GZ-P2-T3", "value": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"team": ["“服务三组”不在该评比项目所属的“客户服务中心”之下。"]}


# --- member grades --------------------------------------------------------------------------

GRADES_SEEN = {
    "emp1": {"e1"},  # their own
    "emp2": set(),
    "sup1": set(),  # the grades hang on the department's appraisal, above their team
    "head1": {"e1"},
    "manager1": {"e1"},
    "manager2": {"e3"},
    "quality": {"e1", "e3"},
    "hr": {"e1", "e3"},
    "finance": {"e1", "e3"},
    "admin": set(),
}


@pytest.mark.parametrize("role", ROLES + OTHERS)
def test_member_grades_show_to_who_reads_the_appraisal_and_to_the_member(
    extra: Extra, client_of: Client, role: str
) -> None:
    seen = {extra.grades[e] for e in GRADES_SEEN.get(role, set())}

    assert listed(client_of(role), "/api/member-grades/") == seen
    for pk in extra.grades.values():
        expected = 200 if pk in seen else 404
        assert client_of(role).get(f"/api/member-grades/{pk}/").status_code == expected


def test_a_member_grade_reads_with_its_period_and_filters(extra: Extra, client_of: Client) -> None:
    hr = client_of("hr")

    grade = hr.get(f"/api/member-grades/{extra.grades['e1']}/").json()

    assert {k: v for k, v in grade.items() if k != "set_at"} == {
        "id": extra.grades["e1"],
        "appraisal": MemberGrade.objects.get(pk=extra.grades["e1"]).appraisal_id,
        "period": "2026-10",
        "employee": "GZ001",
        "employee_name": "张三",
        "grade": "A",
        "set_by": "gz-sup1",
    }
    assert listed(hr, "/api/member-grades/?employee=GZ004") == {extra.grades["e3"]}
    assert listed(hr, "/api/member-grades/?unit=GZ-P1") == {extra.grades["e1"]}
    assert listed(hr, "/api/member-grades/?grade=B") == set()
    assert hr.get("/api/member-grades/?employee=SZ001").json() == {
        "employee": ["没有工号为“SZ001”的员工(或您无权查看)。"]
    }


# --- the working-day calendar ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + OTHERS)
def test_everyone_reads_the_calendar_of_their_own_company(
    extra: Extra, client_of: Client, role: str
) -> None:
    mine = set(
        Holiday.objects.filter(company__code="SZ" if role in OTHERS else "GZ").values_list(
            "pk", flat=True
        )
    )
    theirs = extra.holidays["GZ" if role in OTHERS else "SZ"]

    assert listed(client_of(role), "/api/holidays/") == mine
    assert client_of(role).get(f"/api/holidays/{theirs}/").status_code == 404


def test_holidays_filter_by_period_and_kind(extra: Extra, client_of: Client) -> None:
    hr = client_of("hr")

    makeup = hr.get("/api/holidays/?workday=true").json()["results"]

    assert [(h["date"], h["name"], h["workday"], h["company"]) for h in makeup] == [
        ("2026-10-10", "调休", True, "GZ")
    ]
    assert listed(hr, "/api/holidays/?period=2026-09") == set()
    assert listed(hr, "/api/holidays/?date_from=2026-10-02") == {
        h.pk for h in Holiday.objects.filter(company__code="GZ", workday=True)
    }


@pytest.mark.parametrize(
    ("role", "code"), [("hr", 201), ("admin", 201), ("quality", 403), ("emp1", 403)]
)
def test_hr_and_admins_set_a_day_of_the_calendar(
    extra: Extra, client_of: Client, role: str, code: int
) -> None:
    response = client_of(role).post(
        "/api/holidays/", {"date": "2026-10-03", "name": "国庆节"}, format="json"
    )

    assert response.status_code == code, response.json()
    stored = Holiday.objects.filter(company__code="GZ", date=dt.date(2026, 10, 3)).first()
    assert (stored is not None) == (code == 201)
    if stored is not None:
        assert response.json() == {
            "id": stored.pk,
            "company": "GZ",
            "date": "2026-10-03",
            "name": "国庆节",
            "workday": False,
        }


def test_a_make_up_working_day_must_be_a_weekend(extra: Extra, client_of: Client) -> None:
    response = client_of("hr").post(
        "/api/holidays/",
        {"date": "2026-10-08", "name": "调休", "workday": True},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"workday": ["调休上班日须为星期六或星期日。"]}


# --- policies -------------------------------------------------------------------------------


def test_every_user_reads_the_built_in_policies_with_their_yaml(
    extra: Extra, client_of: Client
) -> None:
    emp1 = client_of("emp1")

    page = emp1.get("/api/builtin-policies/?page_size=3").json()
    one = emp1.get("/api/builtin-policies/cs-group-inspection/").json()

    assert page["count"] == len(builtin_policies())
    assert [row["id"] for row in page["results"]] == sorted(builtin_policies())[:3]
    assert (one["id"], one["kind"], one["subject"]) == (
        "cs-group-inspection",
        "scoring",
        "employee",
    )
    shipped = resources.files("kaoping.scoring") / "policies" / "cs-group-inspection.yaml"
    assert one["source"] == shipped.read_text(encoding="utf-8")
    assert emp1.get("/api/builtin-policies/no-such-policy/").status_code == 404
    assert client_of(None).get("/api/builtin-policies/").status_code == 401


@pytest.mark.parametrize("role", ROLES + OTHERS)
def test_everyone_reads_the_policies_of_their_own_company(
    extra: Extra, client_of: Client, role: str
) -> None:
    company = "SZ" if role in OTHERS else "GZ"
    documents = set(
        PolicyDocument.objects.filter(company__code=company).values_list("pk", flat=True)
    )
    versions = set(
        PolicyVersion.objects.filter(document__company__code=company).values_list("pk", flat=True)
    )
    elsewhere = PolicyVersion.objects.exclude(document__company__code=company).first()
    assert elsewhere is not None

    assert documents and versions
    assert listed(client_of(role), "/api/policies/") == documents
    assert listed(client_of(role), "/api/policy-versions/") == versions
    assert client_of(role).get(f"/api/policy-versions/{elsewhere.pk}/").status_code == 404
    assert client_of(role).get(f"/api/policies/{elsewhere.document_id}/").status_code == 404


def test_a_policy_version_reads_with_its_yaml_text(extra: Extra, client_of: Client) -> None:
    version = PolicyVersion.objects.get(
        document__company__code="GZ", document__code="cs-group-inspection"
    )
    emp1 = client_of("emp1")

    read = emp1.get(f"/api/policy-versions/{version.pk}/").json()
    by_code = listed(emp1, "/api/policy-versions/?code=cs-group-inspection")
    document = emp1.get(f"/api/policies/{version.document_id}/").json()

    assert (read["code"], read["number"], read["status"]) == ("cs-group-inspection", 1, "published")
    assert read["source"] == version.source
    assert by_code == {version.pk}
    assert document["code"] == "cs-group-inspection"
    assert document["company"] == "GZ"
    assert listed(emp1, "/api/policy-versions/?status=draft") == set()


# --- role assignments -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + OTHERS)
def test_admins_and_hr_read_the_role_assignments_of_their_company(
    extra: Extra, client_of: Client, role: str
) -> None:
    company = "SZ" if role in OTHERS else "GZ"
    everything = set(
        RoleAssignment.objects.filter(unit__company__code=company).values_list("pk", flat=True)
    )
    readers = {"hr", "admin", "sz-hr", "sz-admin"}
    seen = everything if role in readers else set()
    gz_one = RoleAssignment.objects.filter(unit__company__code="GZ").first()
    assert gz_one is not None

    assert listed(client_of(role), "/api/role-assignments/") == seen
    expected = 200 if role in {"hr", "admin"} else 404
    assert client_of(role).get(f"/api/role-assignments/{gz_one.pk}/").status_code == expected


def test_role_assignments_filter_by_role_unit_and_user(extra: Extra, client_of: Client) -> None:
    admin = client_of("admin")

    supervisors = admin.get("/api/role-assignments/?role=supervisor").json()["results"]

    assert [(r["username"], r["role"], r["unit"], r["start"], r["end"]) for r in supervisors] == [
        ("gz-sup1", "supervisor", "GZ-P1-T1", "2026-01-01", None)
    ]
    assert {
        r["username"] for r in admin.get("/api/role-assignments/?unit=GZ-P1").json()["results"]
    } == {
        "gz-emp1",
        "gz-emp2",
        "gz-sup1",
        "gz-head1",
        "gz-manager1",
    }
    assert listed(admin, "/api/role-assignments/?username=gz-hr") == set(
        RoleAssignment.objects.filter(user__username="gz-hr").values_list("pk", flat=True)
    )
    assert listed(admin, "/api/role-assignments/?active=false") == set()


# --- finding photos -------------------------------------------------------------------------


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(data, format="PNG")
    data.seek(0)
    data.name = "evidence.png"
    return data


@pytest.fixture
def photos(
    api_world: ApiWorld, extra: Extra, settings: Any, tmp_path: Any, db: None
) -> dict[str, int]:
    """A photo on the October finding of each team (t1, t2, t3), stored under tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = {}
    for team in ("t1", "t2", "t3"):
        upload = SimpleUploadedFile("evidence.png", _png().getvalue(), content_type="image/png")
        made[team] = finding_photo_add(
            actor=None, finding=api_world.findings[team], upload=upload
        ).pk
    return made


PHOTOS_SEEN = {
    "emp1": {"t1"},  # the photo of their own finding
    "emp2": {"t2"},
    "sup1": {"t1"},
    "head1": {"t1", "t2"},
    "manager1": {"t1", "t2"},
    "manager2": {"t3"},
    "quality": {"t1", "t2", "t3"},
    "hr": set(),
    "finance": set(),
    "admin": set(),
}


@pytest.mark.parametrize("role", ROLES + OTHERS)
def test_a_photo_shows_and_downloads_for_who_reads_its_finding(
    photos: dict[str, int], client_of: Client, role: str
) -> None:
    client = client_of(role)
    seen = {photos[team] for team in PHOTOS_SEEN.get(role, set())}

    assert listed(client, "/api/finding-photos/") == seen
    for pk in photos.values():
        response = client.get(f"/api/finding-photos/{pk}/file/")
        assert response.status_code == (200 if pk in seen else 404)
        if pk in seen:
            assert response["Content-Type"] == "image/png"
            assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]


def test_photos_list_per_finding(
    api_world: ApiWorld, photos: dict[str, int], client_of: Client
) -> None:
    quality = client_of("quality")
    finding = api_world.findings["t2"].pk

    rows = quality.get(f"/api/finding-photos/?finding={finding}").json()["results"]

    assert [(r["id"], r["finding"], r["content_type"]) for r in rows] == [
        (photos["t2"], finding, "image/png")
    ]
    assert FindingPhoto.objects.get(pk=photos["t2"]).size == rows[0]["size"]
    assert quality.get("/api/finding-photos/?finding=1.5").status_code == 400


# --- setting the month's ranking items ------------------------------------------------------

ITEMS = [
    {"code": "visits", "title": "业主走访户数", "level": 1, "better": "higher"},
    {"code": "complaints", "title": "有效投诉件数", "level": 1, "better": "lower"},
    {"code": "satisfaction", "title": "客户满意度", "level": 4},
]


@pytest.fixture
def next_month(api_world: ApiWorld, extra: Extra, db: None) -> str:
    """Next month's period (not started yet), its teams ranked by service-group-ranking."""
    from django.utils import timezone

    from kaoping.appraisals.services.periods import period_open
    from kaoping.policies.services import policy_assign

    w = api_world.world
    ranking = PolicyDocument.objects.get(company=w.company, code="service-group-ranking")
    policy_assign(
        actor=None,
        document=ranking,
        unit=w.units["root"],
        unit_kind="team",
        start=dt.date(2026, 1, 1),
    )
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    key = f"{first:%Y-%m}"
    period_open(actor=w.users["quality"], company=w.company, kind="month", key=key)
    return key


@pytest.mark.parametrize(
    ("role", "code"), [("head1", 200), ("quality", 200), ("sup1", 400), ("hr", 403)]
)
def test_the_department_head_sets_next_months_items(
    next_month: str, client_of: Client, role: str, code: int
) -> None:
    response = client_of(role).post(
        "/api/ranking-items/set/",
        {"period": next_month, "unit": "GZ-P1-CS", "items": ITEMS},
        format="json",
    )

    assert response.status_code == code, response.json()
    stored = list(
        RankingItem.objects.filter(period__key=next_month).values_list("code", "level", "better")
    )
    if code == 200:
        assert stored == [
            ("visits", 1, "higher"),
            ("complaints", 1, "lower"),
            ("satisfaction", 4, "higher"),
        ]
        body = response.json()
        assert [(i["code"], i["unit"], i["period"]) for i in body["items"]] == [
            ("visits", "GZ-P1-CS", next_month),
            ("complaints", "GZ-P1-CS", next_month),
            ("satisfaction", "GZ-P1-CS", next_month),
        ]
        assert body["warnings"] == [
            "提示:本月评比项目为 2 项 1 级、1 项 4 级,等级分数线按 3 项 1 级、2 项 2 级、1 项 3 级、1 项 4 级 设定",
            "提示:本月 2 个小组参评,等级分数线按 8 个小组设定",
        ]
    else:
        assert stored == []


def test_items_of_a_started_or_unknown_month_are_refused(
    next_month: str, client_of: Client
) -> None:
    head = client_of("head1")

    started = head.post(
        "/api/ranking-items/set/",
        {"period": "2026-10", "unit": "GZ-P1-CS", "items": ITEMS},
        format="json",
    )
    unknown = head.post(
        "/api/ranking-items/set/",
        {"period": "2031-01", "unit": "GZ-P1-CS", "items": ITEMS},
        format="json",
    )
    empty = head.post(
        "/api/ranking-items/set/",
        {"period": next_month, "unit": "GZ-P1-CS", "items": []},
        format="json",
    )

    assert started.status_code == 400
    assert started.json()["items"][0].startswith("评比项目须在 2026-10-01 之前确定")
    assert unknown.json() == {"period": ["该单元所在的公司没有考评期间“2031-01”。"]}
    assert empty.status_code == 400
    assert list(empty.json()) == ["items"]
    assert RankingItem.objects.filter(period__key=next_month).count() == 0
