"""Operations records over the API: list, read, create, change, delete, and bulk create.

Every type has the same routes: `GET/POST /api/<type>/`, `GET/PATCH/DELETE /api/<type>/{id}/`
and `POST /api/<type>/bulk/` for integrations (kaoping.api.bulk).
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
    """The routes every operations record type shares; subclasses name their selector and
    services."""

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


@extend_schema_view(bulk=bulk_schema(ComplaintSerializer, _("投诉")))
class ComplaintViewSet(OperationsViewSet):
    """Complaints (投诉): valid (有效) and major (重大) are the quality department's judgement."""

    noun = "complaint"
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    ordering_fields = ["received_at", "id"]
    list_records = staticmethod(selectors.complaint_list)
    create_record = staticmethod(services.complaint_create)
    update_record = staticmethod(services.complaint_update)
    delete_record = staticmethod(services.complaint_delete)


@extend_schema_view(bulk=bulk_schema(IncidentSerializer, _("事故")))
class IncidentViewSet(OperationsViewSet):
    """Incidents (事故) in a unit, such as a theft (盗窃)."""

    noun = "incident"
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["occurred_at", "id"]
    list_records = staticmethod(selectors.incident_list)
    create_record = staticmethod(services.incident_create)
    update_record = staticmethod(services.incident_update)
    delete_record = staticmethod(services.incident_delete)


@extend_schema_view(bulk=bulk_schema(CallStatisticSerializer, _("电话统计")))
class CallStatisticViewSet(OperationsViewSet):
    """A unit's calls of one day (电话统计): offered (呼入) and answered (接听)."""

    noun = "call_statistic"
    serializer_class = CallStatisticSerializer
    filterset_class = CallStatisticFilter
    ordering_fields = ["date", "id"]
    list_records = staticmethod(selectors.call_statistic_list)
    create_record = staticmethod(services.call_statistic_create)
    update_record = staticmethod(services.call_statistic_update)
    delete_record = staticmethod(services.call_statistic_delete)


@extend_schema_view(bulk=bulk_schema(WorkOrderSerializer, _("工单")))
class WorkOrderViewSet(OperationsViewSet):
    """Work orders (工单): repairs, complaint follow-ups, service requests …"""

    noun = "work_order"
    serializer_class = WorkOrderSerializer
    filterset_class = WorkOrderFilter
    ordering_fields = ["opened_at", "completed_at", "id"]
    list_records = staticmethod(selectors.work_order_list)
    create_record = staticmethod(services.work_order_create)
    update_record = staticmethod(services.work_order_update)
    delete_record = staticmethod(services.work_order_delete)


@extend_schema_view(bulk=bulk_schema(FeeCollectionSerializer, _("物业费收缴")))
class FeeCollectionViewSet(OperationsViewSet):
    """Property-fee collection (物业费收缴) of a unit or a building (楼栋) in one month."""

    noun = "fee_collection"
    serializer_class = FeeCollectionSerializer
    filterset_class = FeeCollectionFilter
    ordering_fields = ["month", "building", "id"]
    list_records = staticmethod(selectors.fee_collection_list)
    create_record = staticmethod(services.fee_collection_create)
    update_record = staticmethod(services.fee_collection_update)
    delete_record = staticmethod(services.fee_collection_delete)


@extend_schema_view(bulk=bulk_schema(OwnerVisitSerializer, _("业主走访")))
class OwnerVisitViewSet(OperationsViewSet):
    """Visits to owners' households (业主走访), and callbacks (回访)."""

    noun = "owner_visit"
    serializer_class = OwnerVisitSerializer
    filterset_class = OwnerVisitFilter
    ordering_fields = ["visited_on", "id"]
    list_records = staticmethod(selectors.owner_visit_list)
    create_record = staticmethod(services.owner_visit_create)
    update_record = staticmethod(services.owner_visit_update)
    delete_record = staticmethod(services.owner_visit_delete)


@extend_schema_view(bulk=bulk_schema(SurveyResponseSerializer, _("满意度调查")))
class SurveyResponseViewSet(OperationsViewSet):
    """Answered satisfaction surveys (满意度调查) about a unit or one of its staff."""

    noun = "survey_response"
    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilter
    ordering_fields = ["answered_on", "id"]
    list_records = staticmethod(selectors.survey_response_list)
    create_record = staticmethod(services.survey_response_create)
    update_record = staticmethod(services.survey_response_update)
    delete_record = staticmethod(services.survey_response_delete)


@extend_schema_view(bulk=bulk_schema(WorkPointEntrySerializer, _("工作积分")))
class WorkPointEntryViewSet(OperationsViewSet):
    """Work points (工作积分) of team members, and penalties (扣分处罚)."""

    noun = "work_point_entry"
    serializer_class = WorkPointEntrySerializer
    filterset_class = WorkPointEntryFilter
    ordering_fields = ["date", "points", "id"]
    list_records = staticmethod(selectors.work_point_entry_list)
    create_record = staticmethod(services.work_point_entry_create)
    update_record = staticmethod(services.work_point_entry_update)
    delete_record = staticmethod(services.work_point_entry_delete)
