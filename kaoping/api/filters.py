"""Filters every record list shares: period, unit (its subtree, by code), employee (by 工号), dates.

Subclasses name their lookups: `date_field` (the day a record is about), `unit_path` (the lookup
to the path of the record's unit) and `employee_lookup` (the employee it is about); a None leaves
that filter out. Units and employees are looked up through the selectors, so a code the viewer
may not see is answered like an unknown one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db import models
from django.db.models import DateTimeField, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from kaoping.appraisals.services.periods import period_dates
from kaoping.org.selectors import employee_roster, unit_list
from kaoping.scoring.periods import parse_any_period

from .fields import DATE_OUT_OF_RANGE, FIRST_YEAR, LAST_YEAR

UNKNOWN_UNIT = gettext_lazy("没有编码为“{value}”的单元(或您无权查看)。")
UNKNOWN_EMPLOYEE = gettext_lazy("没有工号为“{value}”的员工(或您无权查看)。")
NOT_A_BOOLEAN = gettext_lazy("须为 true 或 false。")
YEAR_OUT_OF_RANGE = gettext_lazy("考评期间的年份超出范围。")


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the company's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_bounds(key: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period key (2026-10, 2026-Q4, 2026-H2, 2026); 400 if invalid."""
    try:
        parsed = parse_any_period(key)
        start, end = period_dates(parsed.kind, key)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from None
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ValidationError({"period": [str(YEAR_OUT_OF_RANGE)]})
    return start, end


def _day_bounds(value: dt.date, name: str) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            {name: [str(DATE_OUT_OF_RANGE).format(first=FIRST_YEAR, last=LAST_YEAR)]}
        )
    return value


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    widget = forms.TextInput  # the select widget would turn unknown values into "no filter"

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError(str(NOT_A_BOOLEAN), code="invalid")

    def validate(self, value: Any) -> None:
        return None


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number (a decimal would reach the database as one)."""

    field_class = forms.IntegerField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, strict about booleans."""

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }


class RecordFilterSet(FilterSet):
    """Period, unit subtree, employee and date range, on any record list."""

    date_field: ClassVar[str | None] = None
    unit_path: ClassVar[str | None] = "unit__path"
    employee_lookup: ClassVar[str | None] = "employee"
    dropped_filters: ClassVar[tuple[str, ...]] = ()

    period = django_filters.CharFilter(
        method="filter_period",
        label=gettext_lazy("考评期间,如 2026-10、2026-Q4、2026-H2、2026"),
    )
    unit = django_filters.CharFilter(
        method="filter_unit", label=gettext_lazy("单元编码:该单元及其下属单元的记录")
    )
    employee = django_filters.CharFilter(method="filter_employee", label=gettext_lazy("员工工号"))
    date_from = django_filters.DateFilter(
        method="filter_date_from", label=gettext_lazy("起始日期(含)")
    )
    date_to = django_filters.DateFilter(method="filter_date_to", label=gettext_lazy("截止日期(含)"))

    @classmethod
    def get_filters(cls) -> dict[str, Any]:
        # A list without such a link offers no such filter (nor does its schema).
        filters: dict[str, Any] = super().get_filters()
        dropped = set(cls.dropped_filters)
        if cls.unit_path is None:
            dropped.add("unit")
        if cls.employee_lookup is None:
            dropped.add("employee")
        if cls.date_field is None:
            dropped.update({"period", "date_from", "date_to"})
        return {name: f for name, f in filters.items() if name not in dropped}

    @property
    def viewer(self) -> Any:
        return getattr(self.request, "user", None)

    def _model(self) -> type[Model]:
        model = self._meta.model
        assert model is not None
        return model

    def _is_datetime(self) -> bool:
        assert self.date_field is not None
        field: Any = self._model()._meta
        for part in self.date_field.split("__"):
            found = field.get_field(part)
            if found.is_relation:
                field = found.related_model._meta
                continue
            return isinstance(found, DateTimeField)
        return False

    def _from(self, queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
        value: dt.date | dt.datetime = local_midnight(day) if self._is_datetime() else day
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def _to(self, queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
        if self._is_datetime():
            return queryset.filter(
                **{f"{self.date_field}__lt": local_midnight(day + dt.timedelta(days=1))}
            )
        return queryset.filter(**{f"{self.date_field}__lte": day})

    def filter_period(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        start, end = period_bounds(value.strip())
        return self._to(self._from(queryset, start), end)

    def filter_date_from(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return self._from(queryset, _day_bounds(value, name))

    def filter_date_to(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return self._to(queryset, _day_bounds(value, name))

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        paths = list(
            unit_list(viewer=self.viewer).filter(code=value.strip()).values_list("path", flat=True)
        )
        if not paths:
            raise ValidationError({name: [str(UNKNOWN_UNIT).format(value=value)]})
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(**{f"{self.unit_path}__startswith": path})
        return queryset.filter(condition)

    def filter_employee(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        ids = list(
            employee_roster(viewer=self.viewer)
            .filter(number=value.strip())
            .values_list("pk", flat=True)
        )
        if not ids:
            raise ValidationError({name: [str(UNKNOWN_EMPLOYEE).format(value=value)]})
        return queryset.filter(**{f"{self.employee_lookup}__in": ids})
