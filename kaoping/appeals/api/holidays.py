"""The working-day calendar (工作日历) over the API: holidays (放假) and make-up working days
(调休上班) on which appeal deadlines are counted.

Everyone reads the calendar of their own companies (it is no secret there); HR and admins set a
day through `holiday_set` (setting a day again replaces it).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.fields import BooleanField, CharField, DateField, ModelSerializer
from kaoping.api.filters import RecordFilterSet
from kaoping.api.views import ScopedViewSet, company_for
from kaoping.appeals.models import Holiday
from kaoping.appeals.selectors import holiday_list
from kaoping.appeals.services.holidays import holiday_set


class HolidaySerializer(ModelSerializer):
    company = CharField(source="company.code", read_only=True, help_text=_("公司编码"))

    class Meta:
        model = Holiday
        fields = ["id", "company", "date", "name", "workday"]
        read_only_fields = ["id", "company"]


class HolidaySetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = DateField(help_text=_("日期"))
    name = CharField(max_length=60, help_text=_("名称,如 国庆节"))
    workday = BooleanField(
        required=False, default=False, help_text=_("true:调休上班日(须为星期六或星期日)")
    )
    company = CharField(required=False, max_length=40, help_text=_("公司编码(属于多家公司时必填)"))


class HolidayFilter(RecordFilterSet):
    """`period` (2026-10, 2026) or `date_from`/`date_to`, and `workday`."""

    date_field = "date"
    unit_path = None
    employee_lookup = None

    class Meta:
        model = Holiday
        fields = ["workday"]


class HolidayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The company's working-day calendar (工作日历): holidays and make-up working days. HR or
    an admin sets a day (again: replaced)."""

    serializer_class = HolidaySerializer
    filterset_class = HolidayFilter
    ordering_fields = ["date", "id"]

    def get_queryset(self) -> QuerySet[Holiday]:
        return holiday_list(viewer=self.viewer)

    @extend_schema(request=HolidaySetSerializer, responses={201: HolidaySerializer})
    def create(self, request: Request) -> Response:
        data = self.validated(HolidaySetSerializer)
        company = company_for(request, data.pop("company", None))
        holiday = holiday_set(actor=self.actor, company=company, **data)
        return self.answer(holiday, code=status.HTTP_201_CREATED)
