"""Inspections, findings, fault notices and corrective actions over the API."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.bulk import BulkKind, Existing, Key, bulk_request, bulk_schema, content_digest
from kaoping.api.models import ExternalRecord
from kaoping.api.selectors import external_records
from kaoping.api.services import external_record_link
from kaoping.api.views import ScopedViewSet
from kaoping.inspections.models import (
    CorrectiveAction,
    FaultNotice,
    Finding,
    Inspection,
    InspectionPlan,
)
from kaoping.inspections.selectors import (
    corrective_action_list,
    fault_notice_list,
    finding_list,
    inspection_list,
    inspection_plan_list,
)
from kaoping.inspections.services import (
    corrective_action_assign,
    corrective_action_complete,
    corrective_action_start,
    corrective_action_verify,
    fault_notice_acknowledge,
    fault_notice_dispute,
    finding_photo_add,
    finding_record,
    inspection_create,
    inspection_plan_create,
    inspection_plan_set_active,
)

from .filters import (
    CorrectiveActionFilter,
    FaultNoticeFilter,
    FindingFilter,
    InspectionFilter,
    InspectionPlanFilter,
)
from .serializers import (
    ActionNoteSerializer,
    AssignSerializer,
    CorrectiveActionSerializer,
    DisputeSerializer,
    FaultNoticeSerializer,
    FindingPhotoSerializer,
    FindingPhotoUploadSerializer,
    FindingSerializer,
    InspectionPlanSerializer,
    InspectionSerializer,
    PlanActiveSerializer,
    VerifySerializer,
)

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)
FINDING = "finding"  # the kind of a finding's external id (kaoping.api.models.ExternalRecord)


class InspectionPlanViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Inspection plans (检查计划): how often a unit is inspected; quality and project managers
    plan, and start or stop a plan."""

    serializer_class = InspectionPlanSerializer
    filterset_class = InspectionPlanFilter
    ordering_fields = ["unit__path", "kind", "created_at"]

    def get_queryset(self) -> QuerySet[InspectionPlan]:
        return inspection_plan_list(viewer=self.viewer)

    @extend_schema(responses={201: InspectionPlanSerializer})
    def create(self, request: Request) -> Response:
        plan = inspection_plan_create(actor=self.actor, **self.validated(InspectionPlanSerializer))
        return self.answer(plan, code=status.HTTP_201_CREATED)

    @extend_schema(request=PlanActiveSerializer, responses=InspectionPlanSerializer)
    @action(detail=True, methods=["post"], url_path="set-active")
    def set_active(self, request: Request, pk: str) -> Response:
        """Start (active=true) or stop (false) a plan."""
        plan = inspection_plan_set_active(
            actor=self.actor,
            plan=self.get_object(),
            active=self.validated(PlanActiveSerializer)["active"],
        )
        return self.answer(plan)


class InspectionViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Inspections (检查) of units in the viewer's scope; the submitter is the inspector."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ["at", "id"]

    def get_queryset(self) -> QuerySet[Inspection]:
        return inspection_list(viewer=self.viewer)

    @extend_schema(responses={201: InspectionSerializer})
    def create(self, request: Request) -> Response:
        inspection = inspection_create(actor=self.actor, **self.validated(InspectionSerializer))
        return self.answer(inspection, code=status.HTTP_201_CREATED)


# --- findings, with their external ids ---------------------------------------------------------


def _finding_digest(data: dict[str, Any]) -> str:
    return content_digest({k: v for k, v in data.items() if k != "external_id"})


@transaction.atomic
def _finding_record(actor: Any, data: dict[str, Any]) -> Finding:
    """Record the finding through its service and, when sent with an external id, link it."""
    data = dict(data)
    external_id = (data.pop("external_id", None) or "").strip()
    finding = finding_record(actor=actor, **data)
    if external_id:
        external_record_link(
            actor=actor,
            company_id=finding.company_id,
            kind=FINDING,
            external_id=external_id,
            object_id=finding.pk,
            digest=_finding_digest(data),
        )
    return finding


def _existing_findings(actor: Any, rows: dict[Key, dict[str, Any]]) -> dict[Key, Existing]:
    links = external_records(
        kind=FINDING,
        company_ids={company for company, _ in rows},
        external_ids={external_id for _, external_id in rows},
    )
    visible = set(
        finding_list(viewer=actor, status=None)
        .filter(pk__in=[link.object_id for link in links.values()])
        .values_list("pk", flat=True)
    )
    return {
        key: Existing(
            pk=link.object_id,
            visible=link.object_id in visible,
            same=link.digest == _finding_digest(rows[key]),
        )
        for key, link in links.items()
        if key in rows
    }


FINDING_BULK = BulkKind(
    row_serializer=FindingSerializer,
    create=_finding_record,
    company_of=lambda data: data["inspection"].company_id,
    existing=_existing_findings,
)


@extend_schema_view(bulk=bulk_schema(FindingSerializer, _("违规记录")))
class FindingViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Findings (违规记录) in the viewer's scope, voided ones included (see `status`).

    Recording one checks it against the policy in force for its subject on its day, issues the
    fault notice of a finding on a person and opens the corrective action of a serious one.
    """

    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    ordering_fields = ["occurred_at", "points", "id"]

    def get_queryset(self) -> QuerySet[Finding]:
        external_id = ExternalRecord.objects.filter(kind=FINDING, object_id=OuterRef("pk"))
        return (
            finding_list(viewer=self.viewer, status=None)
            .select_related("fault_notice", "created_by")
            .annotate(external_id=Subquery(external_id.values("external_id")[:1]))
        )

    @extend_schema(responses={201: FindingSerializer})
    def create(self, request: Request) -> Response:
        # A finding sent again under a used external id is refused (external_record_link), and
        # the finding it would have recorded is rolled back with it.
        data = self.validated(FindingSerializer)
        finding = _finding_record(request.user, data)
        return self.answer(finding, code=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        return bulk_request(
            kind=FINDING_BULK,
            request=request,
            actor=self.actor,
            context=self.get_serializer_context(),
        )

    @extend_schema(request=FindingPhotoUploadSerializer, responses={201: FindingPhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request: Request, pk: str) -> Response:
        """Attach a photo as evidence (照片): JPEG, PNG or WebP, judged by its content."""
        upload = self.validated(FindingPhotoUploadSerializer)["photo"]
        photo = finding_photo_add(actor=self.actor, finding=self.get_object(), upload=upload)
        data = FindingPhotoSerializer(photo, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class FaultNoticeViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Fault notices (过失通知单); the employee named on one acknowledges (签收) or disputes it."""

    serializer_class = FaultNoticeSerializer
    filterset_class = FaultNoticeFilter
    ordering_fields = ["issued_at", "number", "id"]

    def get_queryset(self) -> QuerySet[FaultNotice]:
        return fault_notice_list(viewer=self.viewer)

    @extend_schema(request=None, responses=FaultNoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """The employee signs for the notice (签收); signing again changes nothing."""
        notice = fault_notice_acknowledge(actor=self.actor, notice=self.get_object())
        return self.answer(notice)

    @extend_schema(request=DisputeSerializer, responses=FaultNoticeSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str) -> Response:
        """The employee disputes the notice (提出异议) with a reason, instead of signing."""
        notice = fault_notice_dispute(
            actor=self.actor,
            notice=self.get_object(),
            reason=self.validated(DisputeSerializer)["reason"],
        )
        return self.answer(notice)


class CorrectiveActionViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Corrective actions (纠正措施): assign an owner, start, complete, verify."""

    serializer_class = CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilter
    ordering_fields = ["due", "status", "id"]

    def get_queryset(self) -> QuerySet[CorrectiveAction]:
        return corrective_action_list(viewer=self.viewer)

    @extend_schema(request=AssignSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Give the action its owner (责任人): a line manager or quality over its unit."""
        owner = self.validated(AssignSerializer)["owner"]
        done = corrective_action_assign(actor=self.actor, action=self.get_object(), owner=owner)
        return self.answer(done)

    @extend_schema(request=ActionNoteSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        """open → in_progress, optionally with the planned measures."""
        note = self.validated(ActionNoteSerializer).get("description", "")
        done = corrective_action_start(actor=self.actor, action=self.get_object(), description=note)
        return self.answer(done)

    @extend_schema(request=ActionNoteSerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """in_progress → done; the measures taken must be stated (here or when starting)."""
        note = self.validated(ActionNoteSerializer).get("description", "")
        done = corrective_action_complete(
            actor=self.actor, action=self.get_object(), description=note
        )
        return self.answer(done)

    @extend_schema(request=VerifySerializer, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        """done → verified: quality or a manager over the unit, never the owner."""
        note = self.validated(VerifySerializer)["note"]
        done = corrective_action_verify(actor=self.actor, action=self.get_object(), note=note)
        return self.answer(done)
