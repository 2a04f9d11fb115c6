"""Writes of inspections: each inside a transaction, permission-checked, with its audit events.

`actor=None` is the system itself (setup, imports, the demo) and skips the permission checks,
except where only a person can act (answering a fault notice).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_UP, Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.models import Employee, OrgUnit, Placement, Role
from kaoping.org.selectors import placement_on
from kaoping.org.services import NO_PERMISSION, Actor
from kaoping.periods.guard import ensure_open
from kaoping.policies.selectors import engine_policy, policy_for_employee, policy_for_unit
from kaoping.scoring import InputError
from kaoping.scoring.engine import resolve_finding
from kaoping.scoring.inputs import Finding as EngineFinding

from .models import (
    CorrectiveAction,
    FaultNotice,
    FaultNoticeCounter,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionKind,
    InspectionPlan,
    PlanPeriod,
)

# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
ONE_DECIMAL = Decimal("0.1")
# A serious finding's corrective action is due this many days after it is recorded.
CORRECTIVE_ACTION_DAYS = 7
# Severities that open a corrective action (严重不合格项).
CORRECTIVE_SEVERITIES = frozenset({"serious", "consequence"})
# Evidence photos: Pillow format name → stored content type and file suffix.
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
# The scheduled inspections of a customer-service supervisor (seed 002, 主管工作内容).
SEED_PLANS = (
    (InspectionKind.PATROL, 2, PlanPeriod.DAY, Role.SUPERVISOR),
    (InspectionKind.VISIT, 2, PlanPeriod.MONTH, Role.SUPERVISOR),
    (InspectionKind.SURVEY, 1, PlanPeriod.QUARTER, Role.SUPERVISOR),
)

NAIVE_TIME = _("时间须带时区。")
FUTURE_TIME = _("时间不能晚于现在。")
OTHER_COMPANY = _("不属于本次检查所在公司。")
INSPECTOR_REQUIRED = _("请指定检查人。")
NOT_AN_INSPECTOR = _("该用户对“{unit}”没有检查权限。")
PLAN_MISMATCH = _("检查计划“{plan}”与本次检查的类型或单元不符。")
PLAN_INACTIVE = _("检查计划“{plan}”已停用。")
ONE_SUBJECT = _("请指定被考评的员工或单元(二者只能选一)。")
NOT_PLACED = _("{name} 在 {day} 没有任职记录。")
OUTSIDE_INSPECTION = _("“{subject}”不在本次检查的单元“{unit}”范围内。")
NO_POLICY = _("{day} 没有适用于“{subject}”的考评办法,请质管部先指定办法。")
FINDING_VOIDED = _("该违规记录已撤销。")
PHOTO_TOO_LARGE = _("照片不能超过 {limit},此文件为 {size}。")
PHOTO_NOT_IMAGE = _("照片须为 JPEG、PNG 或 WebP 图片(按文件内容判断,不看文件名)。")
ONLY_THE_EMPLOYEE = _("只有通知单上的员工本人可以签收或提出异议。")
ALREADY_ACKNOWLEDGED = _("该通知单已签收,如有异议请提出申诉。")
ALREADY_DISPUTED = _("该通知单已提出异议。")
REASON_REQUIRED = _("请填写异议理由。")
WRONG_STATUS = _("纠正措施当前为“{status}”,不能{verb}。")
DESCRIPTION_REQUIRED = _("请填写所采取的纠正措施。")
NOTE_REQUIRED = _("请填写验证意见。")
OWNER_OTHER_COMPANY = _("责任人不属于该公司。")


def _require(actor: Actor, perm: str, obj: models.Model) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(NO_PERMISSION)


def _check_time(field: str, value: dt.datetime) -> None:
    if timezone.is_naive(value):
        raise ValidationError({field: NAIVE_TIME})
    if value > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({field: FUTURE_TIME})


def _employee_of(user: Actor, company_id: int) -> Employee | None:
    if user is None:
        return None
    return Employee.objects.filter(user_id=user.pk, company_id=company_id, active=True).first()


# --- plans -----------------------------------------------------------------------------------


@transaction.atomic
def inspection_plan_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    kind: str,
    times: int,
    period: str,
    responsible_role: str,
    active: bool = True,
) -> InspectionPlan:
    """Plan how often a unit is inspected (检查计划), e.g. 巡视 2 次/日, by quality or its manager."""
    _require(actor, "inspections.manage_plan", unit)
    plan = InspectionPlan(
        company_id=unit.company_id,
        unit=unit,
        kind=kind,
        times=times,
        period=period,
        responsible_role=responsible_role,
        active=active,
    )
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action="inspection_plan.create", obj=plan, after=snapshot(plan))
    return plan


@transaction.atomic
def inspection_plan_set_active(
    *, actor: Actor, plan: InspectionPlan, active: bool
) -> InspectionPlan:
    """Start or stop a plan; a stopped plan no longer counts in coverage from now on."""
    _require(actor, "inspections.manage_plan", plan.unit)
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.active == active:
        return plan
    before = snapshot(plan)
    plan.active = active
    plan.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="inspection_plan.activate" if active else "inspection_plan.deactivate",
        obj=plan,
        before=before,
        after=snapshot(plan),
    )
    return plan


@transaction.atomic
def inspection_plans_seed(*, actor: Actor, unit: OrgUnit) -> list[InspectionPlan]:
    """The customer-service supervisor's plans of seed 002 for a unit: 巡视 2×/日, 走访 2×/月,
    问卷 1×/季度 (kinds the unit already plans are left alone)."""
    existing = set(InspectionPlan.objects.filter(unit=unit).values_list("kind", flat=True))
    return [
        inspection_plan_create(
            actor=actor, unit=unit, kind=kind, times=times, period=period, responsible_role=role
        )
        for kind, times, period, role in SEED_PLANS
        if kind not in existing
    ]


# --- inspections -----------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    kind: str,
    at: dt.datetime,
    place: str = "",
    plan: InspectionPlan | None = None,
    inspector: Actor = None,
) -> Inspection:
    """Record an inspection (检查) of `unit`; the inspector is the actor unless named."""
    _require(actor, "inspections.create_inspection", unit)
    inspector = inspector or actor
    if inspector is None:
        raise ValidationError({"inspector": INSPECTOR_REQUIRED})
    if inspector != actor and not inspector.has_perm("inspections.create_inspection", unit):
        raise ValidationError({"inspector": NOT_AN_INSPECTOR.format(unit=unit.name)})
    _check_time("at", at)
    ensure_open(company_id=unit.company_id, day=at, field="at", unit_path=unit.path)
    if plan is not None:
        if plan.kind != kind or not unit.is_within(plan.unit):
            raise ValidationError({"plan": PLAN_MISMATCH.format(plan=plan)})
        if not plan.active:
            raise ValidationError({"plan": PLAN_INACTIVE.format(plan=plan)})
    inspection = Inspection(
        company_id=unit.company_id,
        unit=unit,
        kind=kind,
        plan=plan,
        inspector=inspector,
        at=at,
        place=place.strip(),
    )
    inspection.full_clean()
    inspection.save()
    audit_record(
        actor=actor, action="inspection.create", obj=inspection, after=snapshot(inspection)
    )
    return inspection


# --- findings --------------------------------------------------------------------------------


def _subject_unit_on(
    *, inspection: Inspection, employee: Employee | None, subject_unit: OrgUnit | None, day: dt.date
) -> tuple[OrgUnit, Placement | None]:
    """The unit the subject belongs to on `day` (where scoping files the finding)."""
    if employee is not None:
        if employee.company_id != inspection.company_id:
            raise ValidationError({"employee": OTHER_COMPANY})
        placement = placement_on(employee=employee, day=day)
        if placement is None:
            raise ValidationError({"employee": NOT_PLACED.format(name=employee.name, day=day)})
        return placement.unit, placement
    assert subject_unit is not None
    if subject_unit.company_id != inspection.company_id:
        raise ValidationError({"subject_unit": OTHER_COMPANY})
    return subject_unit, None


def _next_notice_number(*, company_id: int, code: str, day: dt.date) -> str:
    """The next fault-notice number of a company and month: `{code}-{YYYYMM}-{seq:04d}`.

    The counter row is locked (SELECT … FOR UPDATE) so that two inspectors saving at the same
    moment wait for each other; the month's first notice creates the row inside a savepoint, and
    whoever loses that race finds the winner's row and locks it. finding_record takes the number
    after its first audit event, so the audit chain's head lock always comes first: one lock
    order for every writer, hence no deadlock between the two.
    """
    month = day.replace(day=1)
    counters = FaultNoticeCounter.objects.select_for_update()
    counter = counters.filter(company_id=company_id, month=month).first()
    if counter is None:
        try:
            with transaction.atomic():
                FaultNoticeCounter.objects.create(company_id=company_id, month=month, last=0)
        except IntegrityError:
            pass  # created by a concurrent transaction meanwhile
        counter = counters.get(company_id=company_id, month=month)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{code}-{month:%Y%m}-{counter.last:04d}"


def _corrective_owner(
    *, finding: Finding, placement: Placement | None, actor: Actor
) -> Employee | None:
    """Who corrects a serious finding: the subject's direct supervisor (直接上级) on the day;
    failing that the inspector, when they are staff of the company; failing that nobody yet,
    and the unit's line managers assign it (corrective_action_assign)."""
    if (
        placement is not None
        and placement.supervisor is not None
        and placement.supervisor_id != finding.employee_id
    ):
        return placement.supervisor
    return _employee_of(actor, finding.company_id)


@transaction.atomic
def finding_record(
    *,
    actor: Actor,
    inspection: Inspection,
    employee: Employee | None = None,
    subject_unit: OrgUnit | None = None,
    section: str,
    severity: str = "",
    points: Decimal | None = None,
    item: str = "",
    description: str,
    occurred_at: dt.datetime,
    mandatory_penalty: bool = False,
    supervisor_liable: bool = False,
) -> Finding:
    """Record a finding (违规记录) against an employee or a unit during an inspection.

    The section, item, severity and points are checked against the policy version in force for
    the subject on the finding's day, which the finding keeps. A finding on a person issues its
    fault notice (过失通知单); a serious one (严重违规, 引起不良后果) opens a corrective action
    (纠正措施) due in CORRECTIVE_ACTION_DAYS days. All of it, or nothing.
    """
    if (employee is None) == (subject_unit is None):
        raise ValidationError({NON_FIELD_ERRORS: ONE_SUBJECT})
    _check_time("occurred_at", occurred_at)
    day = timezone.localdate(occurred_at)
    unit, placement = _subject_unit_on(
        inspection=inspection, employee=employee, subject_unit=subject_unit, day=day
    )
    _require(actor, "inspections.record_finding", unit)
    subject_field = "employee" if employee is not None else "subject_unit"
    subject_name = employee.name if employee is not None else unit.name
    if not unit.is_within(inspection.unit):
        raise ValidationError(
            {subject_field: OUTSIDE_INSPECTION.format(subject=subject_name, unit=inspection.unit)}
        )
    ensure_open(company_id=unit.company_id, day=day, field="occurred_at", unit_path=unit.path)
    if employee is not None:
        applicable = policy_for_employee(employee=employee, on=day)
    else:
        applicable = policy_for_unit(unit=unit, on=day)
    if applicable is None:
        raise ValidationError({subject_field: NO_POLICY.format(day=day, subject=subject_name)})
    version = applicable.version
    try:
        resolved = resolve_finding(
            engine_policy(version),
            EngineFinding(
                section=section.strip() or None,
                points=points,
                severity=severity or None,
                item=item.strip() or None,
                mandatory_penalty=mandatory_penalty,
                supervisor_liable=supervisor_liable,
            ),
        )
    except InputError as exc:
        raise ValidationError({exc.field or NON_FIELD_ERRORS: exc.message}) from None

    finding = Finding(
        inspection=inspection,
        company_id=inspection.company_id,
        unit=unit,
        employee=employee,
        subject_unit=subject_unit,
        policy_version=version,
        section=resolved.section,
        item=resolved.item or "",
        severity=resolved.severity or "",
        points=resolved.points.quantize(ONE_DECIMAL),  # as stored, so the audit shows it
        description=description.strip(),
        occurred_at=occurred_at,
        mandatory_penalty=resolved.mandatory_penalty,
        supervisor_liable=resolved.supervisor_liable,
        created_by=actor,
    )
    finding.full_clean()
    finding.save()
    audit_record(actor=actor, action="finding.record", obj=finding, after=snapshot(finding))

    if employee is not None:
        _fault_notice_issue(actor=actor, finding=finding, day=day)
    if finding.severity in CORRECTIVE_SEVERITIES:
        _corrective_action_open(actor=actor, finding=finding, placement=placement)
    return finding


def _fault_notice_issue(*, actor: Actor, finding: Finding, day: dt.date) -> FaultNotice:
    notice = FaultNotice(
        finding=finding,
        company_id=finding.company_id,
        number=_next_notice_number(
            company_id=finding.company_id, code=finding.company.code, day=day
        ),
        issued_at=timezone.now(),
    )
    notice.full_clean()
    notice.save()
    audit_record(actor=actor, action="fault_notice.issue", obj=notice, after=snapshot(notice))
    return notice


def _corrective_action_open(
    *, actor: Actor, finding: Finding, placement: Placement | None
) -> CorrectiveAction:
    action = CorrectiveAction(
        finding=finding,
        company_id=finding.company_id,
        unit=finding.unit,
        owner=_corrective_owner(finding=finding, placement=placement, actor=actor),
        due=timezone.localdate() + dt.timedelta(days=CORRECTIVE_ACTION_DAYS),
    )
    action.full_clean()
    action.save()
    audit_record(actor=actor, action="corrective_action.open", obj=action, after=snapshot(action))
    return action


# --- photos ----------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    # Rounded up, so a file just over the limit never reads as equal to it.
    return f"{(Decimal(size) / Decimal(1024 * 1024)).quantize(ONE_DECIMAL, ROUND_UP)} MB"


def _photo_format(upload: File) -> str:
    """The image format read from the content (never the name or the browser's content type)."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=list(PHOTO_FORMATS)) as image:
            found = image.format or ""
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        raise ValidationError({"photo": PHOTO_NOT_IMAGE}) from None
    finally:
        upload.seek(0)
    if found not in PHOTO_FORMATS:
        raise ValidationError({"photo": PHOTO_NOT_IMAGE})
    return found


@transaction.atomic
def finding_photo_add(*, actor: Actor, finding: Finding, upload: File) -> FindingPhoto:
    """Attach a photo to a finding as evidence: a JPEG, PNG or WebP by its content, no larger
    than settings.KAOPING_MAX_PHOTO_BYTES, stored through Django's default storage."""
    _require(actor, "inspections.add_photo", finding)
    if finding.status == Finding.Status.VOIDED:
        raise ValidationError({"photo": FINDING_VOIDED})
    limit = settings.KAOPING_MAX_PHOTO_BYTES
    size = upload.size
    if size > limit:
        raise ValidationError(
            {"photo": PHOTO_TOO_LARGE.format(limit=_megabytes(limit), size=_megabytes(size))}
        )
    content_type, suffix = PHOTO_FORMATS[_photo_format(upload)]
    photo = FindingPhoto(
        finding=finding,
        company=finding.company,  # upload_to names the folder by its code
        content_type=content_type,
        size=size,
        uploaded_by=actor,
    )
    photo.image.save(f"photo{suffix}", upload, save=False)
    try:
        photo.full_clean()
        photo.save()
        audit_record(
            actor=actor,
            action="finding_photo.add",
            obj=photo,
            after=snapshot(photo),
        )
    except BaseException:
        # the row is not written: do not leave the file behind in the storage
        photo.image.storage.delete(photo.image.name)
        raise
    return photo


# --- fault notices ---------------------------------------------------------------------------


def _locked_notice(notice: FaultNotice) -> FaultNotice:
    return (
        FaultNotice.objects.select_for_update(of=("self",))
        .select_related("finding")
        .get(pk=notice.pk)
    )


def _require_notice_subject(actor: Actor, notice: FaultNotice) -> None:
    if actor is None or not actor.has_perm("inspections.answer_fault_notice", notice):
        raise PermissionDenied(ONLY_THE_EMPLOYEE)


@transaction.atomic
def fault_notice_acknowledge(*, actor: Actor, notice: FaultNotice) -> FaultNotice:
    """The employee signs for their fault notice (签收); signing again changes nothing."""
    notice = _locked_notice(notice)
    _require_notice_subject(actor, notice)
    if notice.acknowledged_at is not None:
        return notice
    if notice.disputed_at is not None:
        raise ValidationError({"acknowledged_at": ALREADY_DISPUTED})
    before = snapshot(notice)
    notice.acknowledged_at = timezone.now()
    notice.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor,
        action="fault_notice.acknowledge",
        obj=notice,
        before=before,
        after=snapshot(notice),
    )
    return notice


@transaction.atomic
def fault_notice_dispute(*, actor: Actor, notice: FaultNotice, reason: str) -> FaultNotice:
    """The employee disputes their fault notice (提出异议) with a reason, instead of signing."""
    notice = _locked_notice(notice)
    _require_notice_subject(actor, notice)
    if notice.acknowledged_at is not None:
        raise ValidationError({"disputed_at": ALREADY_ACKNOWLEDGED})
    if notice.disputed_at is not None:
        raise ValidationError({"disputed_at": ALREADY_DISPUTED})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"dispute_reason": REASON_REQUIRED})
    before = snapshot(notice)
    notice.disputed_at = timezone.now()
    notice.dispute_reason = reason
    notice.save(update_fields=["disputed_at", "dispute_reason"])
    audit_record(
        actor=actor,
        action="fault_notice.dispute",
        obj=notice,
        before=before,
        after=snapshot(notice),
        reason=reason,
    )
    return notice


# --- corrective actions ----------------------------------------------------------------------


def _locked_action(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update().get(pk=action.pk)


def _require_status(action: CorrectiveAction, expected: str, verb: str) -> None:
    if action.status != expected:
        raise ValidationError(
            {"status": WRONG_STATUS.format(status=action.get_status_display(), verb=verb)}
        )


def _action_write(
    *,
    actor: Actor,
    action: CorrectiveAction,
    name: str,
    before: dict[str, object],
    fields: list[str],
) -> CorrectiveAction:
    action.full_clean()
    action.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"corrective_action.{name}",
        obj=action,
        before=before,
        after=snapshot(action),
    )
    return action


@transaction.atomic
def corrective_action_assign(
    *, actor: Actor, action: CorrectiveAction, owner: Employee
) -> CorrectiveAction:
    """Give a corrective action its owner (责任人), by a line manager or quality over its unit."""
    _require(actor, "inspections.assign_corrective_action", action)
    action = _locked_action(action)
    if action.status not in CorrectiveAction.PENDING:
        raise ValidationError(
            {"status": WRONG_STATUS.format(status=action.get_status_display(), verb="更换责任人")}
        )
    if owner.company_id != action.company_id:
        raise ValidationError({"owner": OWNER_OTHER_COMPANY})
    before = snapshot(action)
    action.owner = owner
    return _action_write(actor=actor, action=action, name="assign", before=before, fields=["owner"])


@transaction.atomic
def corrective_action_start(
    *, actor: Actor, action: CorrectiveAction, description: str = ""
) -> CorrectiveAction:
    """open → in_progress: the owner (or a line manager) starts correcting, optionally with the
    planned measures."""
    _require(actor, "inspections.work_corrective_action", action)
    action = _locked_action(action)
    _require_status(action, CorrectiveAction.Status.OPEN, "开始整改")
    before = snapshot(action)
    action.status = CorrectiveAction.Status.IN_PROGRESS
    action.started_at = timezone.now()
    if description.strip():
        action.description = description.strip()
    return _action_write(
        actor=actor,
        action=action,
        name="start",
        before=before,
        fields=["status", "started_at", "description"],
    )


@transaction.atomic
def corrective_action_complete(
    *, actor: Actor, action: CorrectiveAction, description: str = ""
) -> CorrectiveAction:
    """in_progress → done: the measures taken must be stated (here or when starting)."""
    _require(actor, "inspections.work_corrective_action", action)
    action = _locked_action(action)
    _require_status(action, CorrectiveAction.Status.IN_PROGRESS, "完成")
    text = description.strip() or action.description
    if not text:
        raise ValidationError({"description": DESCRIPTION_REQUIRED})
    before = snapshot(action)
    action.status = CorrectiveAction.Status.DONE
    action.completed_at = timezone.now()
    action.description = text
    return _action_write(
        actor=actor,
        action=action,
        name="complete",
        before=before,
        fields=["status", "completed_at", "description"],
    )


@transaction.atomic
def corrective_action_verify(
    *, actor: Actor, action: CorrectiveAction, note: str
) -> CorrectiveAction:
    """done → verified: quality or a manager over the unit, never the owner, confirms the fix."""
    _require(actor, "inspections.verify_corrective_action", action)
    action = _locked_action(action)
    _require_status(action, CorrectiveAction.Status.DONE, "验证")
    note = note.strip()
    if not note:
        raise ValidationError({"verification_note": NOTE_REQUIRED})
    before = snapshot(action)
    action.status = CorrectiveAction.Status.VERIFIED
    action.verification_note = note
    action.verified_by = actor
    action.verified_at = timezone.now()
    return _action_write(
        actor=actor,
        action=action,
        name="verify",
        before=before,
        fields=["status", "verification_note", "verified_by", "verified_at"],
    )


def corrective_actions_cancel(*, actor: Actor, finding: Finding, reason: str) -> int:
    """Cancel (撤销) the pending corrective actions of a finding that was voided; returns how
    many. Called inside the write that voids the finding (an appeal's decision)."""
    cancelled = 0
    for action in CorrectiveAction.objects.select_for_update().filter(
        finding=finding, status__in=CorrectiveAction.PENDING
    ):
        before = snapshot(action)
        action.status = CorrectiveAction.Status.CANCELLED
        action.verification_note = reason
        _action_write(
            actor=actor,
            action=action,
            name="cancel",
            before=before,
            fields=["status", "verification_note"],
        )
        cancelled += 1
    return cancelled
