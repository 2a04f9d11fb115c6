"""Operations records over the API: list, read, create, change, delete, and bulk create.

Every type has the same routes: `GET/POST /api/<type>/`, `GET/PATCH/DELETE /api/<type>/{id}/`
and `POST /api/<type>/bulk/` for integrations (kaoping.api.bulk), from one generic viewset
(`OperationsViewSet`) that `record_viewset` parametrises with the type's serializer, filter,
selector and services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.bulk import BulkKind, Existing, Key, bulk_request, bulk_schema, same_content
from kaoping.api.views import ScopedViewSet
from kaoping.operations import selectors, services
from kaoping.operations.models import OperationsRecord, WorkPointEntry

from .filters import (
    CallStatisticFilter,
    ComplaintFilter,
    FeeCollectionFilter,
    IncidentFilter,
    OwnerVisitFilter,
    SurveyResponseFilter,
    WorkOrderFilter,
    WorkPointEntryFilter,
)
from .serializers import (
    CallStatisticSerializer,
    ComplaintSerializer,
    FeeCollectionSerializer,
    IncidentSerializer,
    OwnerVisitSerializer,
    SurveyResponseSerializer,
    WorkOrderSerializer,
    WorkPointEntrySerializer,
)

_NOT_COMPARED = frozenset({"reason", "external_id"})


def _as_stored(data: dict[str, Any]) -> dict[str, Any]:
    """A row as its service would store it, where the service fills something in."""
    kind = data.get("kind")
    if kind in WorkPointEntry.PENALTY_POINTS and data.get("points") is None:
        return {**data, "points": WorkPointEntry.PENALTY_POINTS[kind]}
    return data


class OperationsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The routes every operations record type shares, parametrised by the record type's
    serializer, filter, selector and services (made by `record_viewset` below)."""

    noun: ClassVar[str]
    list_records: ClassVar[Callable[..., QuerySet[Any]]]
    create_record: ClassVar[Callable[..., OperationsRecord]]
    update_record: ClassVar[Callable[..., OperationsRecord]]
    delete_record: ClassVar[Callable[..., None]]

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).list_records(viewer=self.viewer).select_related("created_by")

    def create(self, request: Request) -> Response:
        record = type(self).create_record(
            actor=self.actor, **self.validated(self.get_serializer_class())
        )  # type: ignore[arg-type]
        return self.answer(record, code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        updated = type(self).update_record(
            actor=self.actor, reason=reason, **{self.noun: record}, **changes
        )
        return self.answer(updated)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reason", OpenApiTypes.STR, description="删除原因,记入审计日志", required=False
            )
        ]
    )
    def destroy(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        reason = str(request.query_params.get("reason", ""))[:500]
        type(self).delete_record(actor=self.actor, reason=reason, **{self.noun: record})
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        return bulk_request(
            kind=self.bulk_kind(),
            request=request,
            actor=self.actor,
            context=self.get_serializer_context(),
        )

    @classmethod
    def bulk_kind(cls) -> BulkKind:
        serializer_class: type[serializers.Serializer] = cls.serializer_class  # type: ignore[type-arg,assignment]
        compared = [
            name
            for name, field in serializer_class().fields.items()
            if not field.read_only and name not in _NOT_COMPARED
        ]

        def create(actor: Any, data: dict[str, Any]) -> OperationsRecord:
            return cls.create_record(actor=actor, **data)

        def existing(actor: Any, rows: dict[Key, dict[str, Any]]) -> dict[Key, Existing]:
            stored = cls.list_records(viewer=actor).filter(
                external_id__in={external_id for _, external_id in rows},
                company_id__in={company for company, _ in rows},
            )
            found = {}
            for record in stored:
                key = (record.company_id, record.external_id)
                if key in rows:
                    same = same_content(record, _as_stored(rows[key]), compared, {})
                    found[key] = Existing(pk=record.pk, visible=True, same=same)
            return found

        return BulkKind(
            row_serializer=serializer_class,
            create=create,
            company_of=lambda data: data["unit"].company_id,
            existing=existing,
        )


def record_viewset(
    name: str,
    *,
    noun: str,
    title: Any,
    serializer: type[serializers.Serializer],  # type: ignore[type-arg]
    filterset: type[Any],
    ordering: list[str],
    doc: str,
) -> type[OperationsViewSet]:
    """The viewset of one operations record type: `noun` names its selector (`<noun>_list`) and
    services (`<noun>_create`, `<noun>_update`, `<noun>_delete`); `title` its bulk operation."""
    viewset = type(
        name,
        (OperationsViewSet,),
        {
            "__doc__": doc,
            "__module__": __name__,
            "__qualname__": name,
            "noun": noun,
            "serializer_class": serializer,
            "filterset_class": filterset,
            "ordering_fields": ordering,
            "list_records": staticmethod(getattr(selectors, f"{noun}_list")),
            "create_record": staticmethod(getattr(services, f"{noun}_create")),
            "update_record": staticmethod(getattr(services, f"{noun}_update")),
            "delete_record": staticmethod(getattr(services, f"{noun}_delete")),
        },
    )
    made: type[OperationsViewSet] = extend_schema_view(bulk=bulk_schema(serializer, title))(viewset)
    return made


ComplaintViewSet = record_viewset(
    "ComplaintViewSet",
    noun="complaint",
    title=_("投诉"),
    serializer=ComplaintSerializer,
    filterset=ComplaintFilter,
    ordering=["received_at", "id"],
    doc="Complaints (投诉): valid (有效) and major (重大) are the quality department's judgement.",
)
IncidentViewSet = record_viewset(
    "IncidentViewSet",
    noun="incident",
    title=_("事故"),
    serializer=IncidentSerializer,
    filterset=IncidentFilter,
    ordering=["occurred_at", "id"],
    doc="Incidents (事故) in a unit, such as a theft (盗窃).",
)
CallStatisticViewSet = record_viewset(
    "CallStatisticViewSet",
    noun="call_statistic",
    title=_("电话统计"),
    serializer=CallStatisticSerializer,
    filterset=CallStatisticFilter,
    ordering=["date", "id"],
    doc="A unit's calls of one day (电话统计): offered (呼入) and answered (接听).",
)
WorkOrderViewSet = record_viewset(
    "WorkOrderViewSet",
    noun="work_order",
    title=_("工单"),
    serializer=WorkOrderSerializer,
    filterset=WorkOrderFilter,
    ordering=["opened_at", "completed_at", "id"],
    doc="Work orders (工单): repairs, complaint follow-ups, service requests …",
)
FeeCollectionViewSet = record_viewset(
    "FeeCollectionViewSet",
    noun="fee_collection",
    title=_("物业费收缴"),
    serializer=FeeCollectionSerializer,
    filterset=FeeCollectionFilter,
    ordering=["month", "building", "id"],
    doc="Property-fee collection (物业费收缴) of a unit or a building (楼栋) in one month.",
)
OwnerVisitViewSet = record_viewset(
    "OwnerVisitViewSet",
    noun="owner_visit",
    title=_("业主走访"),
    serializer=OwnerVisitSerializer,
    filterset=OwnerVisitFilter,
    ordering=["visited_on", "id"],
    doc="Visits to owners' households (业主走访), and callbacks (回访).",
)
SurveyResponseViewSet = record_viewset(
    "SurveyResponseViewSet",
    noun="survey_response",
    title=_("满意度调查"),
    serializer=SurveyResponseSerializer,
    filterset=SurveyResponseFilter,
    ordering=["answered_on", "id"],
    doc="Answered satisfaction surveys (满意度调查) about a unit or one of its staff.",
)
WorkPointEntryViewSet = record_viewset(
    "WorkPointEntryViewSet",
    noun="work_point_entry",
    title=_("工作积分"),
    serializer=WorkPointEntrySerializer,
    filterset=WorkPointEntryFilter,
    ordering=["date", "points", "id"],
    doc="Work points (工作积分) of team members, and penalties (扣分处罚).",
)
