"""Filters of the appeal list."""

from __future__ import annotations

from kaoping.api.filters import RecordFilterSet
from kaoping.appeals.models import Appeal


class AppealFilter(RecordFilterSet):
    date_field = "filed_at"

    class Meta:
        model = Appeal
        fields = ["status", "level", "route"]
