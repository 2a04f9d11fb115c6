"""Filters of the appraisal, rating, entry and result lists: period by key, unit, employee."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaoping.api.filters import BooleanFilter, IdFilter, RecordFilterSet, period_bounds
from kaoping.appraisals.models import Appraisal, OutcomeItem, Rating, Result, ScoreEntry


class PeriodKeyFilterSet(RecordFilterSet):
    """`period=2026-10`: the records of that period (by its key), of any of the viewer's
    companies."""

    period_lookup = "period__key"
    date_field = "period__start"  # offers the period filter
    dropped_filters = ("date_from", "date_to")

    def filter_period(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        period_bounds(value.strip())  # 400 for what is not a period
        return queryset.filter(**{self.period_lookup: value.strip()})


class AppraisalFilter(PeriodKeyFilterSet):
    class Meta:
        model = Appraisal
        fields = ["status"]


class RatingFilter(PeriodKeyFilterSet):
    period_lookup = "appraisal__period__key"
    unit_path = "appraisal__unit__path"
    employee_lookup = "appraisal__employee"
    appraisal = IdFilter(field_name="appraisal_id", label=_("考核编号"))

    class Meta:
        model = Rating
        fields = ["rater_role", "item"]


class ScoreEntryFilter(PeriodKeyFilterSet):
    period_lookup = "appraisal__period__key"
    unit_path = "appraisal__unit__path"
    employee_lookup = "appraisal__employee"
    appraisal = IdFilter(field_name="appraisal_id", label=_("考核编号"))
    approved = BooleanFilter(
        field_name="approved_at", lookup_expr="isnull", exclude=True, label=_("已批准")
    )

    class Meta:
        model = ScoreEntry
        fields = ["kind"]


class ResultFilter(PeriodKeyFilterSet):
    appraisal = IdFilter(field_name="appraisal_id", label=_("考核编号"))
    all_revisions = BooleanFilter(
        method="filter_all_revisions", label=_("包括已被更正取代的旧版本(默认只返回最新版本)")
    )

    class Meta:
        model = Result
        fields = ["grade", "evaluated"]

    def filter_all_revisions(
        self, queryset: QuerySet[Any], name: str, value: bool
    ) -> QuerySet[Any]:
        return queryset  # read by ResultViewSet.get_queryset, which picks the selector's `current`


class OutcomeItemFilter(PeriodKeyFilterSet):
    period_lookup = "result__period__key"

    class Meta:
        model = OutcomeItem
        fields = ["status", "action"]
