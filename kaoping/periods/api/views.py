"""Appraisal periods (考评期间) over the API: open a period, close it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.views import ScopedViewSet, company_for
from kaoping.appraisals.selectors import period_list
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.periods.models import Period

from .filters import PeriodFilter
from .serializers import (
    CloseReportSerializer,
    PeriodCloseSerializer,
    PeriodOpenSerializer,
    PeriodSerializer,
)

OTHER_COMPANY = _("单元“{unit}”不属于该期间所在的公司。")


class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Periods (考评期间) of the viewer's companies. Quality or a project manager opens one (an
    appraisal for every subject a policy covers); a project manager or quality closes it, which
    freezes the results and locks the records dated inside it."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["start", "key"]

    def get_queryset(self) -> QuerySet[Period]:
        return period_list(viewer=self.viewer).select_related("company")

    @extend_schema(request=PeriodOpenSerializer, responses={201: PeriodSerializer})
    def create(self, request: Request) -> Response:
        data = self.validated(PeriodOpenSerializer)
        company = company_for(request, data.pop("company", None))
        period = period_open(actor=self.actor, company=company, **data)
        return self.answer(period, code=status.HTTP_201_CREATED)

    @extend_schema(request=PeriodCloseSerializer, responses=CloseReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the period for a unit's subtree (the whole company by default); closing a
        closed period changes nothing and says so (`already_closed`)."""
        unit = self.validated(PeriodCloseSerializer).get("unit")
        period = self.get_object()
        if unit is not None and unit.company_id != period.company_id:
            raise ValidationError({"unit": [str(OTHER_COMPANY).format(unit=unit.code)]})
        report = period_close(actor=self.actor, period=period, unit=unit)
        report.period = self.reread(report.period)  # type: ignore[assignment]
        data = CloseReportSerializer(report, context=self.get_serializer_context()).data
        return Response(data)
