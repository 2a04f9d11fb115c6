"""Appeals (申诉) over the API: file, decide (with corrections), withdraw, escalate."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.views import ScopedViewSet
from kaoping.appeals.models import Appeal, AppealStep
from kaoping.appeals.selectors import appeal_inbox, appeal_list
from kaoping.appeals.services import (
    Correction,
    appeal_decide,
    appeal_escalate_request,
    appeal_file,
    appeal_withdraw,
)

from .filters import AppealFilter
from .serializers import (
    AppealDecideSerializer,
    AppealFileSerializer,
    AppealReasonSerializer,
    AppealSerializer,
)


def _with_history(appeals: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return appeals.prefetch_related(
        Prefetch("steps", queryset=AppealStep.objects.select_related("actor")), "corrections"
    )


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Appeals (申诉) against a finding, a fault notice or a result, decided level by level
    (supervisor → department head → project manager, or HR); each one with its history."""

    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    ordering_fields = ["filed_at", "level_due", "id"]

    def get_queryset(self) -> QuerySet[Appeal]:
        return _with_history(appeal_list(viewer=self.viewer))

    @extend_schema(request=AppealFileSerializer, responses={201: AppealSerializer})
    def create(self, request: Request) -> Response:
        """File an appeal (提出申诉): the employee concerned, within the filing window."""
        appeal = appeal_file(actor=self.actor, **self.validated(AppealFileSerializer))
        return self.answer(appeal, code=status.HTTP_201_CREATED)

    @extend_schema(responses=AppealSerializer(many=True))
    @action(detail=False, methods=["get"])
    def inbox(self, request: Request) -> Response:
        """Open appeals waiting for the viewer's decision (待处理申诉), the earliest due first."""
        appeals = self.filter_queryset(_with_history(appeal_inbox(viewer=request.user)))
        page = self.paginate_queryset(appeals)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    @extend_schema(request=AppealDecideSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Decide at the current level: upheld, partly upheld (with corrections) or rejected."""
        data = self.validated(AppealDecideSerializer)
        corrections = [
            Correction(finding=c["finding"], action=c["action"], points=c.get("points"))
            for c in data.get("corrections", [])
        ]
        appeal = appeal_decide(
            actor=self.actor,
            appeal=self.get_object(),
            outcome=data["outcome"],
            reason=data["reason"],
            corrections=corrections,
        )
        return self.answer(appeal)

    @extend_schema(request=AppealReasonSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """The appellant withdraws an open appeal (撤回申诉)."""
        reason = self.validated(AppealReasonSerializer).get("reason", "")
        appeal = appeal_withdraw(actor=self.actor, appeal=self.get_object(), reason=reason)
        return self.answer(appeal)

    @extend_schema(request=AppealReasonSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str) -> Response:
        """The appellant takes a rejected or partly upheld appeal to the next level (复核)."""
        reason = self.validated(AppealReasonSerializer).get("reason", "")
        appeal = appeal_escalate_request(actor=self.actor, appeal=self.get_object(), reason=reason)
        return self.answer(appeal)
