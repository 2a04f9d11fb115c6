"""The demo company (广州锦华物业服务有限公司, code JH), built through the services.

    广州锦华物业服务有限公司 JH (company)
      质管部 JH-QA, 人力资源部 JH-HR (departments of the company)
      华南区域 JH-R1 (region)
        华南区域客服处 JH-R1-CS (department: the 24-hour hotline)
        锦华御景湾管理处 JH-P1 / 锦华翠苑管理处 JH-P2 / 锦华中心大厦管理处 JH-P3 (projects)
          客户服务中心 JH-Pn-CS (department) with its 服务小组 JH-Pn-Tm (3 + 3 + 2 teams)
          环境处 JH-Pn-ENV (P1 and P2)

About 85 staff: per team a 主管 (组长), three 接待员, two 管家, a 客服助理 and a 前台; per project a
管理处经理, a 客服中心主任 and two 管理员; a 主管 and a 管理员 per 环境处; a 主管 and two 客服助理 in
the hotline; one person each in 质管部 and 人力资源部. Everything is relative to today: the five
months before the current one are recorded and closed (`period_close`), the current month is
open with its data so far. Names and numbers come from `random.Random(2026)`, so a run on a given
day is reproducible.

Business records go through the services, as the people who would enter them (an inspector
records findings, an employee signs for a fault notice). Three kinds of record have no service
yet and are written here through the ORM, each inside the build's transaction with an audit
event: the users (`user.create`), the teams' ranking items and values (`ranking_item.create`,
`ranking_value.set`) and the members' grades (`member_grade.set`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
import unicodedata
import uuid
from calendar import monthrange
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kaoping.appraisals.models import (
    Appraisal,
    RankingItem,
    Result,
    ScoreEntry,
)
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.appraisals.services.ranking import (
    member_grade_set,
    ranking_items_set,
    ranking_value_set,
)
from kaoping.appraisals.services.ratings import (
    appraisal_sign,
    interview_note_add,
    rating_submit,
    score_entry_add,
    score_entry_approve,
)
from kaoping.audit.context import origin
from kaoping.audit.models import AuditEvent
from kaoping.audit.services import audit_record
from kaoping.inspections.models import (
    CorrectiveAction,
    FaultNotice,
    Finding,
    Inspection,
    InspectionKind,
    InspectionPlan,
)
from kaoping.inspections.services import (
    corrective_action_complete,
    corrective_action_start,
    corrective_action_verify,
    fault_notice_acknowledge,
    fault_notice_dispute,
    finding_record,
    inspection_create,
    inspection_plans_seed,
)
from kaoping.operations.models import Complaint, Incident, SurveyLevel, WorkOrder, WorkPointEntry
from kaoping.operations.services import (
    call_statistic_create,
    complaint_create,
    fee_collection_create,
    incident_create,
    owner_visit_create,
    survey_response_create,
    work_order_create,
    work_point_entry_create,
)
from kaoping.org.models import Company, Employee, OrgUnit, Position, Role, RoleAssignment
from kaoping.org.services import (
    company_create,
    company_root,
    employee_create,
    placement_create,
    position_create,
    role_assign,
    unit_create,
)
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyDocument
from kaoping.policies.selectors import engine_policy
from kaoping.policies.services import builtin_policies_install, policy_assign
from kaoping.scoring import InputError, Subject, parse_period, score_subjects, validate_rating
from kaoping.scoring import RankingItem as RankingItemInput

from . import wording

COMPANY_CODE = "JH"
COMPANY_NAME = "广州锦华物业服务有限公司"
PASSWORD = "kaoping-demo"
SEED = 2026
MONTHS = 6  # the current month and the five closed ones before it
PRODUCTION_SETTINGS = "kaoping.config.settings.production"
COMPLETE_ACTION = "demo.complete"

Say = Callable[[str], None]

# code → (name, monthly base pay, monthly floating performance pay)
POSITIONS: dict[str, tuple[str, str, str]] = {
    "manager": ("管理处经理", "9000", "3000"),
    "head": ("客服中心主任", "7000", "2000"),
    "lead": ("主管", "4800", "1200"),
    "reception": ("接待员", "3600", "800"),
    "butler": ("管家", "3800", "900"),
    "assistant": ("客服助理", "3500", "800"),
    "front_desk": ("前台", "3400", "700"),
    "admin": ("管理员", "4000", "1000"),
    "quality": ("质管专员", "5500", "1500"),
    "hr": ("人事专员", "5000", "1200"),
}
TEAM_SHAPE = (("lead", 1), ("reception", 3), ("butler", 2), ("assistant", 1), ("front_desk", 1))
TEAM_NAMES = ("服务一组", "服务二组", "服务三组")
# code, name, teams, has an 环境处, buildings are called …, households per building, fee per month
PROJECTS = (
    ("P1", "锦华御景湾管理处", 3, True, "栋", (160, 260), Decimal("320")),
    ("P2", "锦华翠苑管理处", 3, True, "座", (120, 220), Decimal("280")),
    ("P3", "锦华中心大厦管理处", 2, False, "层区", (30, 60), Decimal("2400")),
)
# The month's ranking items of every 客户服务中心 (seed 003: 3 × level 1, 2 × 2, 1 × 3, 1 × 4).
RANKING_ITEMS = (
    ("visits", "业主走访户数", 1, RankingItem.Better.HIGHER),
    ("training", "培训出勤率(%)", 1, RankingItem.Better.HIGHER),
    ("complaints", "有效投诉件数", 1, RankingItem.Better.LOWER),
    ("work_orders", "工单按时完成率(%)", 2, RankingItem.Better.HIGHER),
    ("callbacks", "回访完成率(%)", 2, RankingItem.Better.HIGHER),
    ("fee_rate", "物业费收缴率(%)", 3, RankingItem.Better.HIGHER),
    ("satisfaction", "客户满意度(分)", 4, RankingItem.Better.HIGHER),
)
# The demo logins: username, role (Chinese, English).
LOGINS = (
    ("demo-employee", Role.EMPLOYEE, "员工", "employee"),
    ("demo-supervisor", Role.SUPERVISOR, "主管", "supervisor"),
    ("demo-head", Role.DEPARTMENT_HEAD, "部门主任", "department head"),
    ("demo-manager", Role.PROJECT_MANAGER, "项目经理", "project manager"),
    ("demo-quality", Role.QUALITY, "质管部", "quality"),
    ("demo-hr", Role.HR, "人力资源部", "HR"),
    ("demo-admin", Role.ADMIN, "系统管理员", "admin"),
)
GROUP_POSITIONS = frozenset({"lead", "reception"})  # cs-group-inspection
STAFF_POSITIONS = frozenset({"butler", "assistant", "front_desk"})  # cs-staff-monthly
STAFF_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "butler": (
        ("owner_visits", "visits_short"),
        ("fee_collection", "arrears_unclear"),
        ("fee_collection", "dunning_record_incomplete"),
        ("renovation", "patrol_record_incomplete"),
        ("renovation", "illegal_renovation"),
        ("renovation", "patrol_missed"),
        ("keys", "key_loan_unrecorded"),
        ("attendance", "late_or_no_clock"),
        ("appearance", "badge"),
    ),
    "assistant": (
        ("complaints", "complaint_not_followed"),
        ("complaints", "complaint_form_missing"),
        ("complaints", "liaison_unclear"),
        ("records", "owner_file_incomplete"),
        ("records", "filing_late"),
        ("phone", "phone_unrecorded"),
        ("phone", "callback_unrecorded"),
        ("training", "training_absent"),
        ("office", "office_untidy"),
    ),
    "front_desk": (
        ("etiquette", "courtesy"),
        ("owner_visits", "front_desk_contact_short"),
        ("phone", "phone_wording"),
        ("appearance", "shoes"),
        ("office", "belongings_scattered"),
        ("attendance", "unrelated_work"),
        ("self_management", "dormitory_untidy"),
    ),
}
GROUP_SECTIONS = (
    ("post_quality", 5),
    ("handover", 2),
    ("training", 1),
    ("efficiency", 3),
    ("service", 3),
    ("other_sop", 1),
    ("other", 1),
)
GROUP_POINTS: dict[
    str, dict[str, tuple[str, ...]]
] = {  # severity → the points an inspector picks within the policy's range
    "general": {"training": ("0.5", "1"), "other_sop": ("0.5", "1"), "other": ("0.5", "1")},
    "serious": {"handover": ("2", "3"), "training": ("2",), "other_sop": ("2",), "other": ("2",)},
}
DEFAULT_POINTS = {"general": ("1", "1", "1.5", "2"), "serious": ("3", "4")}
MAX_MONTHLY_POINTS = Decimal(10)  # per person and month, apart from the planned sanction


# --- the structure ------------------------------------------------------------------------------


@dataclass(eq=False)
class Person:
    employee: Employee
    user: User
    position: str
    unit: OrgUnit
    supervisor: Person | None = None
    project: Project | None = None
    team: Team | None = None


@dataclass(eq=False)
class Team:
    unit: OrgUnit
    project: Project
    lead: Person | None = None
    members: list[Person] = field(default_factory=list)  # without the lead
    buildings: list[tuple[str, int, Person]] = field(default_factory=list)  # name, households, 管家


@dataclass(eq=False)
class Project:
    code: str
    unit: OrgUnit
    center: OrgUnit
    building_word: str
    fee: Decimal
    households: tuple[int, int]
    env: OrgUnit | None = None
    manager: Person | None = None
    head: Person | None = None
    env_lead: Person | None = None
    admins: list[Person] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    patrol_plan: InspectionPlan | None = None
    visit_plan: InspectionPlan | None = None
    survey_plan: InspectionPlan | None = None


@dataclass
class Month:
    key: str
    first: dt.date
    last: dt.date
    current: bool
    start: dt.datetime  # the first moment of the month
    limit: (
        dt.datetime
    )  # nothing is dated at or after this (the month's end, or a little before now)

    def after(self, moment: dt.datetime, *, minutes: int) -> dt.datetime:
        """`minutes` after `moment`, or halfway to the limit when that would be too late."""
        later = moment + dt.timedelta(minutes=minutes)
        return later if later < self.limit else moment + (self.limit - moment) / 2

    def days(self, *, today: dt.date) -> list[dt.date]:
        """The days of the month that have begun (all of them for an earlier month)."""
        last = min(self.last, today)
        return [self.first + dt.timedelta(days=n) for n in range((last - self.first).days + 1)]


@dataclass
class Tally:
    """What one month of a team produced, for its ranking values."""

    visits: int = 0
    valid_complaints: int = 0
    orders: int = 0
    orders_on_time: int = 0
    households_due: int = 0
    households_paid: int = 0


@dataclass
class DemoReport:
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


# --- public entry points ----------------------------------------------------------------------


def production_refusal() -> str | None:
    """Why the demo must not run here (production settings), or None."""
    module = str(getattr(settings, "SETTINGS_MODULE", "") or "")
    if module == PRODUCTION_SETTINGS or (not settings.DEBUG and module.endswith("production")):
        return (
            f"kaoping demo 不能在生产环境运行(DJANGO_SETTINGS_MODULE={module})/ "
            "refusing to build demo data under production settings: it would add a made-up "
            "company and logins with a published password."
        )
    return None


def demo_company() -> Company | None:
    return Company.objects.filter(code=COMPANY_CODE).first()


def demo_state() -> str:
    """The demo company's state: absent, complete, or incomplete (a run was interrupted)."""
    company = demo_company()
    if company is None:
        return "absent"
    done = AuditEvent.objects.filter(
        action=COMPLETE_ACTION, object_type="org.company", object_id=str(company.pk)
    ).exists()
    return "complete" if done else "incomplete"


def build_demo(
    *, say: Say = print, today: dt.date | None = None, months: int = MONTHS
) -> DemoReport:
    """Build the demo company: `months` months up to the one containing `today`.

    Each phase (the organisation, the policies, each month, the appeals) is one transaction:
    one transaction for everything makes PostgreSQL slow down as the audit chain's head row is
    updated thousands of times in it. The last phase records `demo.complete`; a company without
    it was left by an interrupted run (`demo_state`).
    """
    if months < 2:
        raise ValueError("the demo needs at least one closed month and the current one")
    clock = time.perf_counter()
    with origin(request_id=f"kaoping-demo-{uuid.uuid4().hex[:12]}"):
        builder = _Builder(say=say, today=today or timezone.localdate(), months=months)
        builder.build()
    report = DemoReport(seconds=time.perf_counter() - clock, counts=demo_counts())
    return report


def demo_counts() -> dict[str, int]:
    company = demo_company()
    if company is None:
        return {}
    from kaoping.operations.models import (
        CallStatistic,
        FeeCollection,
        OwnerVisit,
        SurveyResponse,
    )

    return {
        "units": OrgUnit.objects.filter(company=company).count(),
        "employees": Employee.objects.filter(company=company).count(),
        "inspections": Inspection.objects.filter(company=company).count(),
        "findings": Finding.objects.filter(company=company).count(),
        "fault_notices": FaultNotice.objects.filter(company=company).count(),
        "corrective_actions": CorrectiveAction.objects.filter(company=company).count(),
        "complaints": Complaint.objects.filter(company=company).count(),
        "incidents": Incident.objects.filter(company=company).count(),
        "surveys": SurveyResponse.objects.filter(company=company).count(),
        "fee_collections": FeeCollection.objects.filter(company=company).count(),
        "visits": OwnerVisit.objects.filter(company=company).count(),
        "work_orders": WorkOrder.objects.filter(company=company).count(),
        "work_points": WorkPointEntry.objects.filter(company=company).count(),
        "call_days": CallStatistic.objects.filter(company=company).count(),
        "appraisals": Appraisal.objects.filter(company=company).count(),
        "results": Result.objects.filter(company=company).count(),
        "periods_closed": Period.objects.filter(
            company=company, status=Period.Status.CLOSED
        ).count(),
    }


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo logins as rows (username, role in Chinese and English, who in Chinese)."""
    users = {u.username: u for u in User.objects.filter(username__in=[x[0] for x in LOGINS])}
    rows = []
    for username, role, zh, en in LOGINS:
        user = users.get(username)
        if user is None:
            continue
        assignment = (
            RoleAssignment.objects.filter(user=user, role=role).select_related("unit").first()
        )
        where = assignment.unit.name if assignment is not None else ""
        employee = Employee.objects.filter(user=user).first()
        if employee is not None:
            placement = (
                employee.placements.select_related("unit__parent__parent", "position")
                .order_by("-start")
                .first()
            )
            if placement is not None:
                where = _unit_label(placement.unit)
                who = f"{employee.name},{placement.position.name},{where}"
            else:
                who = employee.name
        else:
            who = f"系统管理员 IT,{where}"
        rows.append((username, f"{zh} {en}", who))
    return rows


def logins_text() -> str:
    """The logins as a table for the terminal (CJK characters count two columns)."""
    rows = [("用户名 username", "角色 role", "人员 who"), *demo_logins()]
    width = [max(_display_width(row[i]) for row in rows) for i in range(2)]
    lines = [f"演示账号 / demo logins(密码 password: {PASSWORD})"]
    for index, row in enumerate(rows):
        cells = [_pad(row[0], width[0]), _pad(row[1], width[1]), row[2]]
        lines.append("  " + "  ".join(cells).rstrip())
        if index == 0:
            lines.append("  " + "  ".join(["-" * width[0], "-" * width[1], "-" * 8]))
    return "\n".join(lines)


def _unit_label(unit: OrgUnit) -> str:
    names = [unit.name]
    parent = unit.parent
    while parent is not None and parent.kind in ("department", "project") and len(names) < 3:
        names.insert(0, parent.name)
        parent = parent.parent
    return " ".join(names)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


# --- the builder ------------------------------------------------------------------------------


class _Builder:
    def __init__(self, *, say: Say, today: dt.date, months: int = MONTHS):
        self.say = say
        self.today = today
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.rng = random.Random(SEED)
        current = today.replace(day=1)
        first = _add_months(current, -(months - 1))
        self.start = _add_months(first, -6)  # placements and roles begin half a year earlier
        self.months = [self._month(_add_months(first, n)) for n in range(months)]
        self.password = make_password(PASSWORD)  # hashed once, shared by the seven logins
        self.people: list[Person] = []
        self.projects: list[Project] = []
        self.names: set[str] = set()
        self.number = 0
        self.positions: dict[str, Position] = {}
        self.docs: dict[str, PolicyDocument] = {}

    def _back(self, n: int) -> Month | None:
        """`_back(1)` is the current month, `_back(2)` the last closed one, and so on (None
        before the first): the story's events are placed by it, e.g. a dispute at `_back(3)`."""
        return self.months[-n] if len(self.months) >= n else None

    def _month(self, first: dt.date) -> Month:
        last = first.replace(day=monthrange(first.year, first.month)[1])
        start = dt.datetime.combine(first, dt.time.min, tzinfo=self.zone)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
        current = first <= self.today <= last
        limit = end
        if current:
            limit = min(end, self.now - dt.timedelta(minutes=10))
            if limit <= start:  # the first minutes of a month: squeeze the month into them
                limit = start + (self.now - start) * 0.9
        return Month(first.strftime("%Y-%m"), first, last, current, start, limit)

    # --- orchestration --------------------------------------------------------------------------

    def build(self) -> None:
        clock = time.perf_counter()
        with transaction.atomic():
            self._organisation()
        self.say(
            f"组织与人员 / organisation: 3 个管理处 projects, "
            f"{sum(len(p.teams) for p in self.projects)} 个服务小组 teams, "
            f"{len(self.people)} 名员工 staff ({time.perf_counter() - clock:.1f} s)"
        )
        clock = time.perf_counter()
        with transaction.atomic():
            self._policies()
        self.say(
            f"考评办法 / policies: 已安装并指定 installed and assigned ({time.perf_counter() - clock:.1f} s)"
        )
        for month in self.months:
            clock = time.perf_counter()
            with transaction.atomic():
                summary = self._month_records(month)
            state = "进行中 open" if month.current else "已关账 closed"
            self.say(f"{month.key} {state}: {summary} ({time.perf_counter() - clock:.1f} s)")
        clock = time.perf_counter()
        with transaction.atomic():
            appeals = _appeals(self)
            audit_record(
                actor=None,
                action=COMPLETE_ACTION,
                obj=self.company,
                after={"months": [m.key for m in self.months], "staff": len(self.people)},
            )
        self.say(f"{appeals} ({time.perf_counter() - clock:.1f} s)")

    # --- organisation -----------------------------------------------------------------------------

    def _organisation(self) -> None:
        company = company_create(
            actor=None, code=COMPANY_CODE, name=COMPANY_NAME, minimum_wage=Decimal("2300.00")
        )
        self.company = company
        root = company_root(company)
        self.root = root
        for code, (name, base, floating) in POSITIONS.items():
            self.positions[code] = position_create(
                actor=None,
                company=company,
                code=code,
                name=name,
                base_pay=Decimal(base),
                floating_pay=Decimal(floating),
            )

        def unit(parent: OrgUnit, kind: str, code: str, name: str) -> OrgUnit:
            return unit_create(actor=None, parent=parent, kind=kind, code=code, name=name)

        qa = unit(root, "department", "JH-QA", "质管部")
        hr = unit(root, "department", "JH-HR", "人力资源部")
        region = unit(root, "region", "JH-R1", "华南区域")
        self.region = region
        self.hotline = unit(region, "department", "JH-R1-CS", "华南区域客服处")
        for code, name, teams, has_env, word, households, fee in PROJECTS:
            project_unit = unit(region, "project", f"JH-{code}", name)
            center = unit(project_unit, "department", f"JH-{code}-CS", "客户服务中心")
            project = Project(code, project_unit, center, word, fee, households)
            for index in range(teams):
                team_unit = unit(center, "team", f"JH-{code}-T{index + 1}", TEAM_NAMES[index])
                project.teams.append(Team(team_unit, project))
            if has_env:
                project.env = unit(project_unit, "department", f"JH-{code}-ENV", "环境处")
            self.projects.append(project)

        # People, top down so that each direct supervisor exists first.
        self.quality = self._person("quality", qa, None, username="demo-quality")
        self.hr = self._person("hr", hr, None, username="demo-hr")
        self.admin_user = self._user("demo-admin", "", demo=True, staff=True)
        self.hotline_lead = self._person("lead", self.hotline, None)
        self.hotline_staff = [
            self._person("assistant", self.hotline, self.hotline_lead) for _ in range(2)
        ]
        for p_index, project in enumerate(self.projects):
            first = p_index == 0
            project.manager = self._person(
                "manager",
                project.unit,
                None,
                username="demo-manager" if first else None,
                project=project,
            )
            project.head = self._person(
                "head",
                project.center,
                project.manager,
                username="demo-head" if first else None,
                project=project,
            )
            project.admins = [
                self._person("admin", project.center, project.head, project=project)
                for _ in range(2)
            ]
            if project.env is not None:
                project.env_lead = self._person(
                    "lead", project.env, project.manager, project=project
                )
                project.admins.append(
                    self._person("admin", project.env, project.env_lead, project=project)
                )
            low, high = project.households
            building = 0
            for t_index, team in enumerate(project.teams):
                lead_name = "demo-supervisor" if first and t_index == 0 else None
                team.lead = self._person(
                    "lead", team.unit, project.head, username=lead_name, project=project, team=team
                )
                for position, count in TEAM_SHAPE[1:]:
                    for n in range(count):
                        username = None
                        if first and t_index == 0 and position == "reception" and n == 0:
                            username = "demo-employee"
                        member = self._person(
                            position,
                            team.unit,
                            team.lead,
                            username=username,
                            project=project,
                            team=team,
                        )
                        team.members.append(member)
                        if position == "butler":
                            building += 1
                            team.buildings.append(
                                (
                                    self._building_name(project, building),
                                    self.rng.randint(low, high),
                                    member,
                                )
                            )
        self.demo_employee = self._by_username("demo-employee")

        # Roles over the org tree.
        def grant(user: User, role: str, unit: OrgUnit) -> None:
            role_assign(actor=None, user=user, role=role, unit=unit, start=self.start)

        for person in self.people:
            grant(person.user, Role.EMPLOYEE, person.unit)
        grant(self.quality.user, Role.QUALITY, root)
        grant(self.hr.user, Role.HR, root)
        grant(self.admin_user, Role.ADMIN, root)
        grant(self.hotline_lead.user, Role.SUPERVISOR, self.hotline)
        for project in self.projects:
            assert project.manager and project.head
            grant(project.manager.user, Role.PROJECT_MANAGER, project.unit)
            grant(project.head.user, Role.DEPARTMENT_HEAD, project.center)
            if project.env is not None and project.env_lead is not None:
                grant(project.env_lead.user, Role.SUPERVISOR, project.env)
            for team in project.teams:
                assert team.lead
                grant(team.lead.user, Role.SUPERVISOR, team.unit)

    def _building_name(self, project: Project, n: int) -> str:
        if project.code == "P3":
            tower = "A" if n <= 4 else "B"
            low = 6 + ((n - 1) % 4) * 6
            return f"{tower}座 {low}–{low + 5} 层"
        return f"{n}{project.building_word}"

    def _name(self) -> str:
        while True:
            name = self.rng.choice(wording.SURNAMES) + self.rng.choice(wording.GIVEN_NAMES)
            if name not in self.names:
                self.names.add(name)
                return name

    def _user(self, username: str, name: str, *, demo: bool = False, staff: bool = False) -> User:
        user = User(
            username=username,
            last_name=name[:1],
            first_name=name[1:],
            is_staff=staff,
        )
        if demo:
            user.password = self.password
        else:
            user.set_unusable_password()  # staff of the story, not logins
        user.save()
        audit_record(
            actor=None,
            action="user.create",
            obj=user,
            company_id=self.company.pk,
            after={"username": username, "is_staff": staff, "demo_login": demo},
        )
        return user

    def _person(
        self,
        position: str,
        unit: OrgUnit,
        supervisor: Person | None,
        *,
        username: str | None = None,
        project: Project | None = None,
        team: Team | None = None,
    ) -> Person:
        self.number += 1
        number = f"JH{self.number:04d}"
        name = self._name()
        user = self._user(username or number.lower(), name, demo=username is not None)
        employee = employee_create(
            actor=None,
            company=self.company,
            number=number,
            name=name,
            phone=f"13{self.rng.randint(500000000, 999999999)}",
            hire_date=self.start - dt.timedelta(days=self.rng.randint(0, 2400)),
            user=user,
        )
        placement_create(
            actor=None,
            employee=employee,
            unit=unit,
            position=self.positions[position],
            start=self.start,
            supervisor=supervisor.employee if supervisor is not None else None,
        )
        person = Person(employee, user, position, unit, supervisor, project, team)
        self.people.append(person)
        return person

    def _by_username(self, username: str) -> Person:
        return next(p for p in self.people if p.user.username == username)

    # --- policies ---------------------------------------------------------------------------------

    def _policies(self) -> None:
        quality = self.quality.user
        docs = {d.code: d for d in builtin_policies_install(actor=quality, company=self.company)}
        self.docs = docs
        self.staff_policy = engine_policy(docs["cs-staff-monthly"].versions.get(number=1))
        ledger = docs["cs-violation-penalties"]

        def assign(code: str, **kwargs: Any) -> None:
            policy_assign(actor=quality, document=docs[code], start=self.start, **kwargs)

        for position in ("reception", "lead"):
            assign(
                "cs-group-inspection",
                position=self.positions[position],
                unit=self.region,
                consequences=ledger,
            )
        for position in ("butler", "assistant", "front_desk"):
            assign(
                "cs-staff-monthly",
                position=self.positions[position],
                unit=self.region,
                consequences=ledger,
            )
        assign("cs-admin-monthly", position=self.positions["admin"], unit=self.region)
        # Departments: the satisfaction evaluation (seed 004) by default; each 客户服务中心 is
        # evaluated by its own form (seed 001), the more specific assignment, which wins.
        assign("unit-satisfaction", unit=self.region, unit_kind=OrgUnit.Kind.DEPARTMENT)
        for project in self.projects:
            assign("cs-center-monthly", unit=project.center, unit_kind=OrgUnit.Kind.DEPARTMENT)
        assign("service-group-ranking", unit=self.region, unit_kind=OrgUnit.Kind.TEAM)
        for project in self.projects:
            plans = {p.kind: p for p in inspection_plans_seed(actor=quality, unit=project.center)}
            project.patrol_plan = plans.get(InspectionKind.PATROL)
            project.visit_plan = plans.get(InspectionKind.VISIT)
            project.survey_plan = plans.get(InspectionKind.SURVEY)

    # --- one month --------------------------------------------------------------------------------

    def _month_records(self, month: Month) -> str:
        if month.current:
            next_month = _add_months(month.first, 1)
            period = period_open(
                actor=self.quality.user,
                company=self.company,
                kind="month",
                key=month.key,
                self_deadline=next_month.replace(day=3),
                rating_deadline=next_month.replace(day=5),
            )
        else:
            # Deadlines of a past month would refuse today's entry of its ratings: none.
            period = period_open(
                actor=self.quality.user, company=self.company, kind="month", key=month.key
            )
        appraisals = list(
            Appraisal.objects.filter(period=period).select_related(
                "period",
                "employee",
                "subject_unit",
                "unit",
                "supervisor",
                "policy_version__document",
                "consequences_version__document",
            )
        )
        by_employee = {a.employee_id: a for a in appraisals if a.employee_id is not None}
        items = self._ranking_items(period)
        tallies: dict[int, Tally] = defaultdict(Tally)
        inspections = self._inspections(month)
        findings = self._findings(month, inspections)
        self._answer_notices(month, findings)
        self._operations(month, tallies)
        team_grades = self._ranking_values(period, month, items, tallies)
        if not month.current:
            self._member_grades(
                period, [a for a in appraisals if a.subject_unit_id is not None], team_grades
            )
        self._ratings(month, by_employee, findings)
        self._entries(month, by_employee)
        if not month.current:
            self._sign(by_employee)
            closed = self._close(period)
        else:
            closed = 0
        person_findings = sum(len(v) for v in findings.values())
        parts = [
            f"{len(inspections)} 次检查 inspections",
            f"{person_findings} 条个人违规 findings",
            f"{len(appraisals)} 份考核 appraisals",
        ]
        if closed:
            parts.append(f"{closed} 个结果 results")
        return ", ".join(parts)

    # --- time helpers ---------------------------------------------------------------------------

    def _at(self, day: dt.date, hour: int, minute: int, month: Month) -> dt.datetime:
        """A moment of `day`, moved inside the month's open window when it would be too late."""
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)
        if moment >= month.limit:
            span = max((month.limit - month.start).total_seconds(), 1.0)
            moment = month.start + dt.timedelta(seconds=span * self.rng.uniform(0.5, 0.98))
        return moment

    def _moment(self, month: Month, *, early: bool = False) -> dt.datetime:
        days = month.days(today=self.today)
        if month.current and len(days) > 1:
            days = days[:-1]  # today is still going on
        day = self.rng.choice(days[: max(1, len(days) // 2)] if early else days)
        return self._at(
            day, self.rng.randint(8, 19), self.rng.choice((0, 10, 20, 30, 40, 50)), month
        )

    def _date(self, month: Month) -> dt.date:
        return self.rng.choice(month.days(today=self.today))

    def _share(self, month: Month) -> float:
        """How much of the month has passed (1 for an earlier month)."""
        if not month.current:
            return 1.0
        return max(0.05, (self.today.day - 0.5) / month.last.day)

    def _count(self, month: Month, full: int) -> int:
        expected = full * self._share(month)
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    # --- ranking items ----------------------------------------------------------------------------

    def _ranking_items(self, period: Period) -> dict[int, list[RankingItem]]:
        """The month's seven ranking items of each 客户服务中心, set by its head the day before
        the month starts (seed 003: items are announced before the month)."""
        items: dict[int, list[RankingItem]] = {}
        eve = period.start - dt.timedelta(days=1)
        for project in self.projects:
            assert project.head is not None
            ranking_items_set(
                actor=project.head.user,
                period=period,
                unit=project.center,
                items=[
                    (code, title, level, str(better))
                    for code, title, level, better in RANKING_ITEMS
                ],
                today=eve,
            )
            items[project.center.pk] = list(
                RankingItem.objects.filter(period=period, unit=project.center).order_by("id")
            )
        return items

    # --- inspections and findings -------------------------------------------------------------

    def _inspections(self, month: Month) -> list[Inspection]:
        """Patrols (巡视 2×/day) by the team leads, weekly checks by the heads, a monthly check
        by each manager, a spot check (抽检) by quality, the plans' visits and surveys."""
        rng = self.rng
        made: list[Inspection] = []
        days = month.days(today=self.today)
        if month.current:
            days = days[:-1] or days

        def create(
            unit: OrgUnit,
            kind: str,
            at: dt.datetime,
            inspector: User,
            place: str = "",
            plan: InspectionPlan | None = None,
        ) -> None:
            made.append(
                inspection_create(
                    actor=inspector,
                    unit=unit,
                    kind=kind,
                    at=at,
                    place=place,
                    plan=plan,
                )
            )

        for project in self.projects:
            assert project.head and project.manager
            for index, day in enumerate(days):
                # one patrol a day (the seed plan asks for two: coverage shows the gap)
                team = project.teams[index % len(project.teams)]
                assert team.lead
                create(
                    team.unit,
                    InspectionKind.PATROL,
                    self._at(day, (9, 15)[index % 2], rng.randint(0, 50), month),
                    team.lead.user,
                    "服务台、大堂及责任区",
                    project.patrol_plan,
                )
                if day.weekday() == 1:
                    create(
                        project.center,
                        InspectionKind.WEEKLY,
                        self._at(day, 10, rng.randint(0, 30), month),
                        project.head.user,
                        "客户服务中心",
                    )
            for n in range(self._count(month, 2)):
                create(
                    project.center,
                    InspectionKind.VISIT,
                    self._at(days[min(len(days) - 1, 8 + n * 10)], 16, 0, month),
                    project.head.user,
                    "业主走访",
                    project.visit_plan,
                )
            if month.first.month % 3 == 2 and (not month.current or self.today.day > 12):
                create(
                    project.center,
                    InspectionKind.SURVEY,
                    self._at(days[min(len(days) - 1, 11)], 14, 0, month),
                    project.head.user,
                    "满意度问卷",
                    project.survey_plan,
                )
            if not month.current or self.today.day > 25:
                create(
                    project.unit,
                    InspectionKind.MONTHLY,
                    self._at(days[min(len(days) - 1, 24)], 10, 0, month),
                    project.manager.user,
                    "管理处全面检查",
                )
            if project.env is not None and (not month.current or self.today.day > 10):
                create(
                    project.env,
                    InspectionKind.MONTHLY,
                    self._at(days[min(len(days) - 1, 9)], 9, 30, month),
                    project.manager.user,
                    "环境处:绿化、保洁、垃圾分类",
                )
            if not month.current or self.today.day > 15:
                create(
                    project.unit,
                    InspectionKind.SPOT,
                    self._at(days[min(len(days) - 1, rng.randint(10, 20))], 14, 30, month),
                    self.quality.user,
                    "质管部抽检",
                )
        if not month.current or self.today.day > 20:
            kind = (
                InspectionKind.INTERNAL_AUDIT
                if month.first.month % 6 == 3
                else InspectionKind.MONTHLY
            )
            create(
                self.hotline,
                kind,
                self._at(days[min(len(days) - 1, 19)], 10, 0, month),
                self.quality.user,
                "热线录音与工单抽查",
            )
        return made

    def _findings(
        self, month: Month, inspections: Sequence[Inspection]
    ) -> dict[int, list[Finding]]:
        """Findings on people (by employee id) and on units, each during an inspection that
        covers them by someone who may inspect them; recorded in the order they occurred, so
        that the fault notices of the month are numbered by date."""
        rng = self.rng
        by_person: dict[int, list[Finding]] = defaultdict(list)
        points: dict[int, Decimal] = defaultdict(Decimal)
        planned: list[tuple[dt.datetime, int, Person, Inspection, dict[str, Any]]] = []
        sanctioned = self.projects[1].teams[1].members[0] if month is self._back(4) else None

        def candidates(person: Person) -> list[Inspection]:
            found = [
                i
                for i in inspections
                if person.unit.path.startswith(i.unit.path)
                and i.inspector_id != person.user.pk
                and i.at < month.limit
            ]
            if person.position == "lead":  # a lead's findings come from above
                found = [i for i in found if i.kind != InspectionKind.PATROL]
            return found

        def record(person: Person, *, force_recent: bool = False, **kwargs: Any) -> None:
            options = candidates(person)
            if not options:
                return
            if force_recent:
                inspection = max(options, key=lambda i: i.at)
            else:
                inspection = rng.choice(options)
            occurred = month.after(inspection.at, minutes=rng.randint(5, 40))
            planned.append((occurred, len(planned), person, inspection, kwargs))
            if "points" in kwargs:
                points[person.employee.pk] += kwargs["points"]
            else:
                section = self.staff_policy.section(kwargs["section"])
                assert section is not None
                points[person.employee.pk] += section.checklist[kwargs["item"]].points

        for person in self.people:
            if person.position not in GROUP_POSITIONS | STAFF_POSITIONS:
                continue
            if person is sanctioned:
                self._sanction(person, record)
                continue
            wanted = self._count(month, rng.choice((0, 0, 0, 1, 1, 1, 2, 2)))
            if person is self.demo_employee:
                wanted = 2 if month.current else max(wanted, 1)
            for _ in range(wanted):
                if points[person.employee.pk] >= MAX_MONTHLY_POINTS:
                    break
                if person.position in GROUP_POSITIONS:
                    record(person, **self._group_finding())
                else:
                    section, item = rng.choice(STAFF_ITEMS[person.position])
                    record(
                        person,
                        section=section,
                        item=item,
                        description=wording.STAFF_FINDINGS[(section, item)],
                    )
            if person is self.demo_employee and month.current:
                # the most recent notice is the one the demo employee has not signed for yet
                record(
                    person,
                    force_recent=True,
                    section="service",
                    severity="general",
                    points=Decimal("1"),
                    description=wording.GROUP_FINDINGS["service"][1],
                )
        for occurred, _, person, inspection, kwargs in sorted(planned, key=lambda p: p[:2]):
            finding = finding_record(
                actor=inspection.inspector,
                inspection=inspection,
                employee=person.employee,
                occurred_at=occurred,
                **kwargs,
            )
            by_person[person.employee.pk].append(finding)
        self._unit_findings(month, inspections)
        return by_person

    def _group_finding(self) -> dict[str, Any]:
        rng = self.rng
        sections = [s for s, _ in GROUP_SECTIONS]
        weights = [w for _, w in GROUP_SECTIONS]
        section = rng.choices(sections, weights)[0]
        severity = "serious" if rng.random() < 0.08 else "general"
        choices = GROUP_POINTS[severity].get(section, DEFAULT_POINTS[severity])
        description = rng.choice(wording.GROUP_FINDINGS[section])
        if severity == "serious":
            description += ",经指出后仍未整改(严重违规)"
        return {
            "section": section,
            "severity": severity,
            "points": Decimal(rng.choice(choices)),
            "description": description,
            "supervisor_liable": severity == "serious" and rng.random() < 0.5,
        }

    def _sanction(self, person: Person, record: Callable[..., None]) -> None:
        """One 接待员 of 翠苑 collects 12 points in a month: 行政处分 under the ledger (4.2.3)."""
        record(
            person,
            section="post_quality",
            severity="consequence",
            points=Decimal("6"),
            description=wording.GROUP_CONSEQUENCE,
            mandatory_penalty=True,
            supervisor_liable=True,
        )
        record(
            person,
            section="post_quality",
            severity="serious",
            points=Decimal("4"),
            description=wording.GROUP_SERIOUS,
        )
        record(
            person,
            section="handover",
            severity="general",
            points=Decimal("2"),
            description=wording.GROUP_FINDINGS["handover"][0],
        )

    def _unit_findings(self, month: Month, inspections: Sequence[Inspection]) -> None:
        rng = self.rng
        for project in self.projects:
            over_center = [
                i
                for i in inspections
                if project.center.path.startswith(i.unit.path)
                and i.kind in (InspectionKind.WEEKLY, InspectionKind.MONTHLY, InspectionKind.SPOT)
            ]
            for _ in range(min(len(over_center), self._count(month, rng.randint(1, 3)))):
                inspection = rng.choice(over_center)
                section = rng.choice(list(wording.CENTER_FINDINGS))
                finding_record(
                    actor=inspection.inspector,
                    inspection=inspection,
                    subject_unit=project.center,
                    section=section,
                    severity="general",
                    points=Decimal(rng.choice(("1", "1.5", "2"))),
                    description=rng.choice(wording.CENTER_FINDINGS[section]),
                    occurred_at=month.after(inspection.at, minutes=15),
                )
            if project.env is None:
                continue
            env = project.env
            over_env = [i for i in inspections if i.unit_id == env.pk]
            for _ in range(min(len(over_env), rng.randint(0, 2))):
                inspection = rng.choice(over_env)
                finding_record(
                    actor=inspection.inspector,
                    inspection=inspection,
                    subject_unit=env,
                    section="standards",
                    points=Decimal(1),
                    description=rng.choice(wording.SATISFACTION_FINDINGS["environment"]),
                    occurred_at=month.after(inspection.at, minutes=30),
                )
        over_hotline = [i for i in inspections if i.unit_id == self.hotline.pk]
        for _ in range(min(len(over_hotline), rng.randint(0, 2))):
            inspection = over_hotline[0]
            finding_record(
                actor=inspection.inspector,
                inspection=inspection,
                subject_unit=self.hotline,
                section="standards",
                points=Decimal(1),
                description=rng.choice(wording.SATISFACTION_FINDINGS["hotline"]),
                occurred_at=month.after(inspection.at, minutes=20),
            )

    def _answer_notices(self, month: Month, findings: dict[int, list[Finding]]) -> None:
        """Employees sign for their fault notices (a few dispute); serious findings' corrective
        actions are worked through and verified in the closed months."""
        rng = self.rng
        people = {p.employee.pk: p for p in self.people}
        recent = self.now - dt.timedelta(days=3)
        notices = {
            n.finding_id: n
            for n in FaultNotice.objects.filter(
                finding_id__in=[f.pk for rows in findings.values() for f in rows]
            )
        }
        for employee_id, rows in findings.items():
            person = people[employee_id]
            latest = max(rows, key=lambda f: f.occurred_at)
            for finding in rows:
                notice = notices[finding.pk]
                if month.current and (
                    finding.occurred_at > recent
                    or (person is self.demo_employee and finding is latest)
                ):
                    continue  # not signed yet
                if rng.random() < 0.05 or (
                    person is self.demo_employee and month is self._back(3) and finding is rows[0]
                ):
                    fault_notice_dispute(
                        actor=person.user, notice=notice, reason=rng.choice(wording.DISPUTE_REASONS)
                    )
                else:
                    fault_notice_acknowledge(actor=person.user, notice=notice)
        actions = CorrectiveAction.objects.filter(
            company=self.company,
            finding__occurred_at__gte=month.start,
            finding__occurred_at__lt=month.limit,
        ).select_related("owner", "unit", "finding")
        users = {p.employee.pk: p.user for p in self.people}
        for action in actions:
            owner = users.get(action.owner_id) if action.owner_id else None
            if owner is None:
                continue
            if month.current and rng.random() < 0.5:
                continue  # still open
            action = corrective_action_start(
                actor=owner, action=action, description="已组织班组学习相关作业规程,并逐项整改"
            )
            if month.current:
                continue
            action = corrective_action_complete(
                actor=owner, action=action, description="整改完成,已对相关人员进行培训并复查"
            )
            verifier = self.quality.user if owner != self.quality.user else None
            if verifier is not None:
                corrective_action_verify(
                    actor=verifier, action=action, note="质管部复查:整改措施有效,予以关闭"
                )

    # --- operations records -------------------------------------------------------------------

    def _operations(self, month: Month, tallies: dict[int, Tally]) -> None:
        rng = self.rng
        for p_index, project in enumerate(self.projects):
            assert project.head and project.manager
            head = project.head.user
            for team in project.teams:
                assert team.lead
                lead = team.lead.user
                tally = tallies[team.unit.pk]
                # complaints (投诉)
                for _ in range(self._count(month, rng.randint(0, 2))):
                    self._complaint(month, team.unit, head, team, tally)
                # fee collection (物业费收缴), building by building
                share = self._share(month)
                for building, households, butler in team.buildings:
                    rate = rng.uniform(0.955, 0.995)
                    if rng.random() < 0.08:
                        rate = rng.uniform(0.92, 0.95)  # behind with the dunning this month
                    if month.current:
                        rate *= min(1.0, 0.35 + 0.65 * share)
                    paid = min(households, round(households * rate))
                    fee_collection_create(
                        actor=head,
                        unit=team.unit,
                        month=month.first,
                        building=building,
                        employee=butler.employee,
                        households_due=households,
                        households_paid=paid,
                        amount_due=project.fee * households,
                        amount_paid=project.fee * paid,
                        task_amount=(project.fee * households * Decimal("0.96")).quantize(
                            Decimal("1")
                        ),
                    )
                    tally.households_due += households
                    tally.households_paid += paid
                # owner visits (业主走访) by the 管家
                for member in team.members:
                    if member.position != "butler":
                        continue
                    for _ in range(self._count(month, rng.randint(2, 3))):
                        building, _households, _ = rng.choice(team.buildings)
                        owner_visit_create(
                            actor=lead,
                            unit=team.unit,
                            employee=member.employee,
                            household=f"{building} {rng.randint(1, 30)}{rng.randint(1, 4):02d}",
                            visited_on=self._date(month),
                            record=rng.choice(wording.VISIT_RECORDS),
                            callback=rng.random() < 0.3,
                        )
                        tally.visits += 1
                # work orders (工单)
                for _ in range(self._count(month, rng.randint(2, 4))):
                    kind = rng.choices(["repair", "service", "complaint", "inquiry"], [5, 3, 1, 2])[
                        0
                    ]
                    opened = self._moment(month)
                    hours = rng.choice((1, 2, 4, 8, 20, 30, 50))
                    completed: dt.datetime | None = opened + dt.timedelta(hours=hours)
                    if completed is not None and completed >= month.limit:
                        completed = None
                    work_order_create(
                        actor=lead,
                        unit=team.unit,
                        kind=kind,
                        opened_at=opened,
                        completed_at=completed,
                        employee=rng.choice(team.members).employee,
                        description=rng.choice(wording.WORK_ORDERS[kind]),
                    )
                    tally.orders += 1
                    tally.orders_on_time += int(completed is not None and hours <= 24)
                # work points (工作积分) of every member, as of the month's end (or today)
                points_day = month.last if not month.current else self.today
                for member in team.members:
                    work_point_entry_create(
                        actor=lead,
                        unit=team.unit,
                        employee=member.employee,
                        date=points_day,
                        points=Decimal(rng.randint(60, 100)),
                        note="月度工作积分" if not month.current else "截至今日工作积分",
                    )
            # incidents (事故) of the project
            if rng.random() < 0.35:
                kind = rng.choice(list(wording.INCIDENTS))
                incident_create(
                    actor=head,
                    unit=project.center,
                    kind=kind,
                    occurred_at=self._moment(month),
                    description=wording.INCIDENTS[kind],
                    place="地下车库" if kind != "vehicle" else "小区东门道闸",
                )
            # the one major complaint of the story
            if p_index == 1 and month is self._back(4):
                complaint_create(
                    actor=project.manager.user,
                    unit=project.center,
                    received_at=self._moment(month),
                    category=Complaint.Category.ORDER,
                    source=Complaint.Source.REFERRAL,
                    complainant="业主委员会",
                    description=wording.MAJOR_COMPLAINT,
                    valid=True,
                    major=True,
                )
            # satisfaction surveys (满意度调查)
            self._surveys(month, project.center, head, 4)
            if project.env is not None and project.env_lead is not None:
                self._surveys(month, project.env, project.env_lead.user, 2)
                if rng.random() < 0.3:
                    complaint_create(
                        actor=project.env_lead.user,
                        unit=project.env,
                        received_at=self._moment(month),
                        category=Complaint.Category.CLEANING,
                        source=Complaint.Source.PHONE,
                        description=wording.COMPLAINTS["cleaning"][1].format(building="5栋"),
                        valid=rng.random() < 0.6,
                    )
        # the hotline (客服处): calls every day, surveys, a complaint now and then
        lead = self.hotline_lead.user
        days = month.days(today=self.today)
        if month.current:
            days = days[:-1]
        for day in days:
            if day.weekday() >= 5:
                continue  # the statistics of working days (weekends go to the duty phone)
            offered = self.rng.randint(60, 140)
            call_statistic_create(
                actor=lead,
                unit=self.hotline,
                date=day,
                offered=offered,
                answered=round(offered * self.rng.uniform(0.9, 0.99)),
            )
        self._surveys(month, self.hotline, lead, 3)
        if rng.random() < 0.4:
            complaint_create(
                actor=lead,
                unit=self.hotline,
                received_at=self._moment(month),
                category=Complaint.Category.ATTITUDE,
                source=Complaint.Source.PHONE,
                description=wording.COMPLAINTS["attitude"][1],
                employee=rng.choice(self.hotline_staff).employee,
                valid=rng.random() < 0.5,
            )
        self._penalties(month)

    def _complaint(
        self, month: Month, unit: OrgUnit, actor: User, team: Team, tally: Tally
    ) -> None:
        rng = self.rng
        category = rng.choices(
            ["cleaning", "order", "process", "attitude", "repair", "fee"], [2, 2, 2, 1, 3, 1]
        )[0]
        building, _, _ = rng.choice(team.buildings)
        description = rng.choice(wording.COMPLAINTS[category]).format(building=building)
        received = self._moment(month, early=True)
        resolved: dt.datetime | None = received + dt.timedelta(hours=rng.choice((2, 5, 20, 52)))
        callback: dt.datetime | None = None
        satisfaction = ""
        if resolved is not None and resolved >= month.limit:
            resolved = None
        if resolved is not None and resolved + dt.timedelta(days=1) < month.limit:
            callback = resolved + dt.timedelta(days=1)
            satisfaction = rng.choices(
                ["very_satisfied", "satisfied", "neutral", "dissatisfied"], [3, 4, 2, 1]
            )[0]
        employee = None
        if category == "attitude":
            employee = rng.choice(
                [m for m in team.members if m.position in ("reception", "front_desk")]
            ).employee
        valid = rng.random() < 0.55
        complaint_create(
            actor=actor,
            unit=unit,
            received_at=received,
            category=category,
            source=rng.choice(["phone", "visit", "online"]),
            complainant=f"{building} {rng.randint(1, 30)}{rng.randint(1, 4):02d} 业主",
            description=description,
            employee=employee,
            valid=valid,
            resolved_at=resolved,
            callback_at=callback,
            callback_satisfaction=satisfaction,
        )
        tally.valid_complaints += int(valid)

    def _surveys(self, month: Month, unit: OrgUnit, actor: User, full: int) -> None:
        rng = self.rng
        for _ in range(self._count(month, full)):
            level = rng.choices([s.value for s in SurveyLevel], [5, 4, 2, 1, 0.3])[0]
            survey_response_create(
                actor=actor,
                unit=unit,
                level=level,
                answered_on=self._date(month),
                respondent=f"{rng.randint(1, 12)}栋 {rng.randint(1, 30)}{rng.randint(1, 4):02d}",
                comment=wording.SURVEY_COMMENTS[level],
            )

    def _penalties(self, month: Month) -> None:
        """Seed 003's penalty events (扣分处罚): now and then one; in the third month one member
        of 御景湾 gets two (当月绩效为 0 and a serious warning)."""
        rng = self.rng
        kinds = [k for k in WorkPointEntry.PENALTY_POINTS]
        if month is self._back(4):
            team = self.projects[0].teams[2]
            member = team.members[1]
            assert team.lead
            for kind in (WorkPointEntry.Kind.SLACK_SERVICE, WorkPointEntry.Kind.ATTITUDE_COMPLAINT):
                work_point_entry_create(
                    actor=team.lead.user,
                    unit=team.unit,
                    employee=member.employee,
                    date=self._date(month),
                    kind=kind,
                    note="主管核实后记录",
                )
        if rng.random() < 0.6:
            project = rng.choice(self.projects)
            team = rng.choice(project.teams)
            assert team.lead
            work_point_entry_create(
                actor=team.lead.user,
                unit=team.unit,
                employee=rng.choice(team.members).employee,
                date=self._date(month),
                kind=rng.choice(kinds),
                note="主管核实后记录",
            )

    # --- team ranking -------------------------------------------------------------------------

    def _ranking_values(
        self,
        period: Period,
        month: Month,
        items: dict[int, list[RankingItem]],
        tallies: dict[int, Tally],
    ) -> dict[int, str]:
        """Each team's value on the month's items, from the month's records where there are
        records (visits, complaints, work orders, fees) and from the head's sheets otherwise.

        Returns each team's grade (by unit id) as the engine ranks the values: the grade set
        that the members' grades must come from.
        """
        rng = self.rng
        policy = engine_policy(self.docs["service-group-ranking"].versions.get(number=1))
        engine_items = [
            RankingItemInput(
                code, level, "lower" if better == RankingItem.Better.LOWER else "higher"
            )
            for code, _, level, better in RANKING_ITEMS
        ]
        grades: dict[int, str] = {}
        for project in self.projects:
            subjects: list[Subject] = []
            assert project.head
            head = project.head.user
            for team in project.teams:
                tally = tallies[team.unit.pk]
                values = {
                    "visits": Decimal(tally.visits),
                    "training": Decimal(rng.randint(850, 1000)) / 10,
                    "complaints": Decimal(tally.valid_complaints),
                    "work_orders": _percent(tally.orders_on_time, tally.orders),
                    "callbacks": Decimal(rng.randint(800, 1000)) / 10,
                    "fee_rate": _percent(tally.households_paid, tally.households_due),
                    "satisfaction": Decimal(rng.randint(850, 985)) / 10,
                }
                subjects.append(
                    Subject(id=team.unit.code, values=values, given=frozenset({"values"}))
                )
                for item in items[project.center.pk]:
                    ranking_value_set(
                        actor=head, item=item, team=team.unit, value=values[item.code]
                    )
            results = score_subjects(
                policy,
                parse_period(period.key, "month"),
                subjects,
                ranking_items=engine_items,
            )
            for team, result in zip(project.teams, results, strict=True):
                grades[team.unit.pk] = result.grade or ""
        return grades

    def _member_grades(
        self, period: Period, unit_appraisals: list[Appraisal], team_grades: dict[int, str]
    ) -> None:
        """Each lead grades the members within the set the team's grade allows."""
        team_units = {t.unit.pk: t for p in self.projects for t in p.teams}
        teams = [a for a in unit_appraisals if a.subject_unit_id in team_units]
        points = dict(
            WorkPointEntry.objects.filter(
                company=self.company,
                date__gte=period.start,
                date__lte=period.end,
                kind=WorkPointEntry.Kind.WORK,
            ).values_list("employee_id", "points")
        )
        for appraisal in teams:
            team = team_units[appraisal.subject_unit_id]  # type: ignore[index]
            assert team.lead
            policy = engine_policy(appraisal.policy_version)
            assert policy.members is not None
            grade = team_grades.get(team.unit.pk, "")
            allowed = list(policy.members.grade_sets.get(grade, ()))
            if not allowed:
                continue
            ranked = sorted(team.members, key=lambda m: -points.get(m.employee.pk, Decimal(0)))
            for index, member in enumerate(ranked):
                # the best fifth gets the top grade of the set, the last fifth the lowest
                share = index / len(ranked)
                band = 0 if share < 0.2 else 2 if share >= 0.8 else 1
                band = min(band, len(allowed) - 1)
                member_grade_set(
                    actor=team.lead.user,
                    appraisal=appraisal,
                    employee=member.employee,
                    grade=allowed[band],
                )

    # --- ratings, interviews, entries, signatures -----------------------------------------------

    def _rating_values(
        self, appraisal: Appraisal, rater: str, generous: bool
    ) -> dict[str, Decimal]:
        policy = engine_policy(appraisal.policy_version)
        values: dict[str, Decimal] = {}
        for section in policy.sections:
            if section.method != "rating":
                continue
            steps = self.rng.choices([0, 1, 2, 3], [5, 3, 2, 1] if generous else [3, 4, 2, 1])[0]
            for drop in range(steps, -1, -1):
                value = section.max - Decimal(drop) / 2
                try:
                    validate_rating(policy, rater, section.id, value)
                except InputError:
                    continue
                values[section.id] = value
                break
        return values

    def _ratings(
        self, month: Month, by_employee: dict[int, Appraisal], findings: dict[int, list[Finding]]
    ) -> None:
        rng = self.rng
        chain_done = 0
        for person in self.people:
            appraisal = by_employee.get(person.employee.pk)
            if appraisal is None:
                continue
            supervisor = person.supervisor
            if person.position == "admin":
                # 管理员月度绩效考核表: 自评 × 30% + 直接上级评 × 70%
                rating_submit(
                    actor=person.user,
                    appraisal=appraisal,
                    rater_role="self",
                    values=self._rating_values(appraisal, "self", True),
                )
                # the 上级评 too, also in the open month (a provisional one there): the weighted
                # form cannot be scored without it, and one missing rating stops the preview
                # of the whole month
                if supervisor is not None:
                    rating_submit(
                        actor=supervisor.user,
                        appraisal=appraisal,
                        rater_role="supervisor",
                        values=self._rating_values(appraisal, "supervisor", False),
                    )
                    if not month.current:
                        interview_note_add(
                            actor=supervisor.user,
                            appraisal=appraisal,
                            text=wording.INTERVIEW_CLEAN
                            if rng.random() < 0.5
                            else wording.INTERVIEW_TEXTS[0].format(issue="会议与培训出勤需提高"),
                        )
                continue
            rows = findings.get(person.employee.pk, [])
            if (
                person.position in STAFF_POSITIONS
                and person.team is not None
                and supervisor is not None
                and chain_done < (2 if month.current else 3)
                and rng.random() < 0.25
            ):
                self._chain(person, appraisal, month, chain_done)
                chain_done += 1
            if month.current or supervisor is None:
                continue
            if rows and rng.random() < 0.5:
                issue = rows[0].description
                interview_note_add(
                    actor=supervisor.user,
                    appraisal=appraisal,
                    text=rng.choice(wording.INTERVIEW_TEXTS).format(issue=issue),
                )
                if rng.random() < 0.4:
                    interview_note_add(
                        actor=person.user,
                        appraisal=appraisal,
                        text=rng.choice(wording.EMPLOYEE_REPLIES),
                    )
            elif not rows and rng.random() < 0.1:
                interview_note_add(
                    actor=supervisor.user, appraisal=appraisal, text=wording.INTERVIEW_CLEAN
                )

    def _chain(self, person: Person, appraisal: Appraisal, month: Month, index: int) -> None:
        """The review chain of the 管家/客服员 form: the lead rates a section, the head amends,
        and (on the first form of a closed month) the manager has the last word."""
        assert person.supervisor is not None and person.project is not None
        project = person.project
        assert project.head is not None and project.manager is not None
        section_id, _note = wording.CHAIN_NOTES[index % len(wording.CHAIN_NOTES)]
        policy = engine_policy(appraisal.policy_version)
        section = policy.section(section_id)
        assert section is not None
        top = section.max
        rating_submit(
            actor=person.supervisor.user,
            appraisal=appraisal,
            rater_role="supervisor",
            values={section_id: top - 2},
        )
        if month.current and index > 0:
            return
        rating_submit(
            actor=project.head.user,
            appraisal=appraisal,
            rater_role="indirect",
            values={section_id: top - 1},
        )
        if index == 0 and not month.current:
            rating_submit(
                actor=project.manager.user,
                appraisal=appraisal,
                rater_role="manager",
                values={section_id: top - Decimal("0.5")},
            )

    def _entries(self, month: Month, by_employee: dict[int, Appraisal]) -> None:
        """Bonuses (嘉奖加分) for 接待员/主管 and adjustments (奖扣分) for 管理员, approved by
        someone other than their author; in the current month one bonus still waits."""
        rng = self.rng
        group = [
            p
            for p in self.people
            if p.position in GROUP_POSITIONS and p.team is not None and p.supervisor is not None
        ]
        for _ in range(1 if month.current else rng.randint(1, 2)):
            person = rng.choice(group)
            appraisal = by_employee[person.employee.pk]
            reason, value = rng.choice(wording.BONUS_REASONS)
            assert person.supervisor is not None and person.project is not None
            author = person.supervisor.user
            entry = score_entry_add(
                actor=author, appraisal=appraisal, kind="bonus", value=Decimal(value), reason=reason
            )
            if not month.current:
                self._approve(entry, person.project, author)
        if month.current:
            return
        admins = [p for p in self.people if p.position == "admin" and p.supervisor is not None]
        person = rng.choice(admins)
        assert person.supervisor is not None and person.project is not None
        reason, value = rng.choice(wording.ADJUSTMENTS)
        author = person.supervisor.user
        entry = score_entry_add(
            actor=author,
            appraisal=by_employee[person.employee.pk],
            kind="adjustment",
            value=Decimal(value),
            reason=reason,
        )
        self._approve(entry, person.project, author)

    def _approve(self, entry: ScoreEntry, project: Project, author: User) -> None:
        """The head approves, or the manager where the head wrote the entry or has no say."""
        assert project.head is not None and project.manager is not None
        unit = entry.appraisal.unit
        approver = next(
            user
            for user in (project.head.user, project.manager.user)
            if user != author and user.has_perm("appraisals.approve_entries", unit)
        )
        score_entry_approve(actor=approver, entry=entry)

    def _sign(self, by_employee: dict[int, Appraisal]) -> None:
        """Both signatures on nearly every form of a closed month (本人签字, 上级签字)."""
        for person in self.people:
            appraisal = by_employee.get(person.employee.pk)
            if appraisal is None or self.rng.random() < 0.03:
                continue
            appraisal_sign(actor=person.user, appraisal=appraisal, as_subject=True)
            if person.supervisor is not None:
                appraisal_sign(actor=person.supervisor.user, appraisal=appraisal, as_subject=False)

    def _close(self, period: Period) -> int:
        """Each manager closes their project; quality then closes the company (the hotline)."""
        results = 0
        for project in self.projects:
            assert project.manager is not None
            report = period_close(actor=project.manager.user, period=period, unit=project.unit)
            results += report.results
        report = period_close(actor=self.quality.user, period=period)
        return results + report.results


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal(100)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# --- appeals (申诉) -------------------------------------------------------------------------------


def _appeals(builder: _Builder) -> str:
    """File appeals in several states, when the appeals app is installed; else do nothing.

    Written against the services of `kaoping.appeals` as they stood when the demo was built
    (appeal_file, appeal_decide with Correction, appeal_withdraw, appeal_escalate_request,
    appeals_escalate, each taking `now=`), which were still changing: it looks the functions up
    at run time, skips what is missing, and reports any call that the service refused instead
    of failing the demo. Returns a line for the progress output.
    """
    if not apps.is_installed("kaoping.appeals"):
        return "申诉 appeals: 未安装申诉模块,跳过 / skipped: kaoping.appeals is not installed"
    try:
        services = importlib.import_module("kaoping.appeals.services")
    except ImportError:
        return "申诉 appeals: 跳过 / skipped: kaoping.appeals.services cannot be imported"
    wanted = ("appeal_file", "appeal_decide")
    if not all(callable(getattr(services, name, None)) for name in wanted):
        return "申诉 appeals: 跳过 / skipped: no appeal_file/appeal_decide in kaoping.appeals"
    return _file_appeals(builder, services)


def _file_appeals(builder: _Builder, services: Any) -> str:
    """Appeals in every state, replayed at the moments they happened (`now=`):

    - the demo employee's disputed fault notice (three months ago): upheld by the next level
      that is not a party, the finding voided and the closed result re-scored (revision 2);
    - a finding of three months ago: rejected; another: withdrawn by the appellant;
    - a result of last month: partly upheld (points lowered, result re-scored), then taken to
      the next level by the appellant, where it is open;
    - a finding of last month left unanswered past its due date: escalated by
      `appeals_escalate` (what cron runs);
    - the demo employee's appeal against last month's result, filed today: open with the
      demo supervisor.

    Each call runs in its own savepoint; a refusal is reported in the progress line, never
    half-written.
    """
    correction = getattr(services, "Correction", None)
    problems: list[str] = []
    done: dict[str, int] = defaultdict(int)

    def attempt(what: str, call: Callable[[], Any]) -> Any:
        try:
            with transaction.atomic():
                value = call()
        except Exception as exc:  # the appeals API is young: report the refusal, go on
            problems.append(f"{what}: {exc}")
            return None
        return value

    deciders = [p.user for p in builder.people if p.position in ("lead", "head", "manager", "hr")]

    def decider(appeal: Any) -> User | None:
        return next((u for u in deciders if u.has_perm("appeals.decide", appeal)), None)

    def decide(
        what: str, appeal: Any, outcome: str, reason: str, at: dt.datetime, fixes: list[Any]
    ) -> Any:
        judge = decider(appeal)
        if judge is None:
            problems.append(f"{what}: 无处理人 / nobody may decide")
            return None
        return attempt(
            what,
            lambda: services.appeal_decide(
                actor=judge,
                appeal=appeal,
                outcome=outcome,
                reason=reason,
                corrections=fixes,
                now=at,
            ),
        )

    people = {p.employee.pk: p for p in builder.people}
    earlier = builder.months[-3] if len(builder.months) >= 3 else None
    last = builder.months[-2]

    def findings_in(month: Month) -> list[Finding]:
        return list(
            Finding.objects.filter(
                company=builder.company,
                employee__isnull=False,
                status=Finding.Status.ACTIVE,
                occurred_at__gte=month.start,
                occurred_at__lt=month.limit,
            )
            .exclude(employee=builder.demo_employee.employee)
            .select_related("employee")
            .order_by("occurred_at", "id")
        )

    day = dt.timedelta(days=1)
    # 1. upheld: the demo employee's disputed notice
    notice = (
        FaultNotice.objects.filter(
            finding__employee=builder.demo_employee.employee, disputed_at__isnull=False
        )
        .select_related("finding")
        .order_by("finding__occurred_at")
        .first()
    )
    if notice is not None and correction is not None:
        filed_at = notice.finding.occurred_at + day
        appeal = attempt(
            "upheld",
            lambda: services.appeal_file(
                actor=builder.demo_employee.user,
                fault_notice=notice,
                reason=notice.dispute_reason or wording.DISPUTE_REASONS[2],
                now=filed_at,
            ),
        )
        if appeal is not None and decide(
            "upheld",
            appeal,
            "upheld",
            "经调取监控并与当班人员核实,该事项不属本人责任,撤销该违规记录",
            filed_at + 2 * day,
            [correction.void(notice.finding)],
        ):
            done["upheld"] += 1
    # 2. rejected and 3. withdrawn: findings of three months ago
    pool = findings_in(earlier) if earlier is not None else []
    if pool:
        finding = pool[len(pool) // 3]
        person = people[finding.employee_id]  # type: ignore[index]
        appeal = attempt(
            "rejected",
            lambda: services.appeal_file(
                actor=person.user,
                finding=finding,
                reason=wording.DISPUTE_REASONS[1],
                now=finding.occurred_at + day,
            ),
        )
        if appeal is not None and decide(
            "rejected",
            appeal,
            "rejected",
            "经核实,检查记录与照片清楚,扣分依据充分",
            finding.occurred_at + 3 * day,
            [],
        ):
            done["rejected"] += 1
    if len(pool) > 1:
        finding = pool[2 * len(pool) // 3]
        person = people[finding.employee_id]  # type: ignore[index]
        appeal = attempt(
            "withdrawn",
            lambda: services.appeal_file(
                actor=person.user,
                finding=finding,
                reason=wording.DISPUTE_REASONS[2],
                now=finding.occurred_at + day,
            ),
        )
        if appeal is not None and callable(getattr(services, "appeal_withdraw", None)):
            withdrawn = attempt(
                "withdrawn",
                lambda: services.appeal_withdraw(
                    actor=person.user,
                    appeal=appeal,
                    reason="与主管沟通后认可扣分,撤回申诉",
                    now=finding.occurred_at + 2 * day,
                ),
            )
            done["withdrawn"] += int(withdrawn is not None)
    # 4. partly upheld, then taken to the next level: a result of last month
    ranged = [
        f
        for f in findings_in(last)
        if f.severity == "general" and f.points > Decimal(1) and not f.item
    ]
    if ranged and correction is not None:
        finding = ranged[0]
        person = people[finding.employee_id]  # type: ignore[index]
        result = Result.objects.filter(
            employee=finding.employee,
            period__company=builder.company,
            period__key=last.key,
            superseded_by__isnull=True,
        ).first()
        if result is not None:
            appeal = attempt(
                "escalation_requested",
                lambda: services.appeal_file(
                    actor=person.user,
                    result=result,
                    reason="该项违规情节轻微,且已当场整改,扣分偏重",
                ),
            )
            if appeal is not None:
                decided = decide(
                    "escalation_requested",
                    appeal,
                    "partly_upheld",
                    "情节轻微且已当场整改,改按下限扣分",
                    builder.now,
                    [correction.change_points(finding, 1)],
                )
                if decided is not None and callable(
                    getattr(services, "appeal_escalate_request", None)
                ):
                    escalated = attempt(
                        "escalation_requested",
                        lambda: services.appeal_escalate_request(
                            actor=person.user,
                            appeal=decided,
                            reason="认为应全部撤销,申请上一级复核",
                        ),
                    )
                    done["escalation_requested"] += int(escalated is not None)
    # 5. unanswered past its due date: escalated by the scheduled job
    late = [f for f in findings_in(last) if f.occurred_at + 10 * day < builder.now]
    if late:
        finding = late[-1]
        person = people[finding.employee_id]  # type: ignore[index]
        overdue = attempt(
            "overdue",
            lambda: services.appeal_file(
                actor=person.user,
                finding=finding,
                reason="扣分所依据的照片拍摄于其他楼栋,不是本人责任区",
                now=finding.occurred_at + day,
            ),
        )
        done["filed_then_overdue"] += int(overdue is not None)
    if callable(getattr(services, "appeals_escalate", None)):
        moved = attempt("escalated", lambda: services.appeals_escalate(now=builder.now))
        done["escalated"] = int(moved or 0)
    # 6. open: the demo employee against last month's result, filed today
    result = Result.objects.filter(
        employee=builder.demo_employee.employee,
        period__key=last.key,
        superseded_by__isnull=True,
    ).first()
    if result is not None:
        fresh = attempt(
            "open",
            lambda: services.appeal_file(
                actor=builder.demo_employee.user,
                result=result,
                reason="本月有一项扣分发生在交接班时段,责任不在本人,申请复核",
            ),
        )
        done["open"] += int(fresh is not None)
    states = ", ".join(f"{name} {count}" for name, count in done.items() if count)
    line = f"申诉 appeals: {states or '无 none'}"
    if problems:
        line += f";未完成 not done: {'; '.join(problems[:3])}"
    return line
