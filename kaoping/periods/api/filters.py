"""Filters of the period list."""

from __future__ import annotations

from kaoping.api.filters import FilterSet
from kaoping.periods.models import Period


class PeriodFilter(FilterSet):
    class Meta:
        model = Period
        fields = ["kind", "key", "status"]
