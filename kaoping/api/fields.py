"""Serializer fields shared by the API modules.

References to other records are resolved through the selectors, with the request user as
viewer: a unit by its code, an employee by 工号, a record by its id. What the viewer may not
see is reported as unknown, exactly like what does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

Selector = Callable[..., QuerySet[Any]]

# Dates outside these years are typing errors, and some would overflow date arithmetic.
FIRST_YEAR = 1900
LAST_YEAR = 2999
DATE_OUT_OF_RANGE = _("日期须在 {first} 年至 {last} 年之间。")


def _check_year(value: dt.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise serializers.ValidationError(
            str(DATE_OUT_OF_RANGE).format(first=FIRST_YEAR, last=LAST_YEAR)
        )


# JSON types as the schema states them: text is a string, a whole number an integer, yes/no a
# boolean, an exact decimal a string ("1.5", never the float 1.5). DRF would quietly convert
# between them; a sender who mixes them up hears so.
NOT_TEXT = _("请填写文本(JSON 字符串)。")
NOT_INTEGER = _("请填写整数(JSON 数字,不带引号)。")
NOT_BOOLEAN = _("请填写 true 或 false(JSON 布尔值)。")
NOT_DECIMAL_TEXT = _('请以文本形式填写数值,如 "1.5"(精确小数,不用浮点数)。')


class CharField(serializers.CharField):
    """Text, given as a JSON string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(str(NOT_TEXT), code="invalid")
        value: str = super().to_internal_value(data)
        return value


class IntegerField(serializers.IntegerField):
    """A whole number, given as a JSON number."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError(str(NOT_INTEGER), code="invalid")
        value: int = super().to_internal_value(data)
        return value


class BooleanField(serializers.BooleanField):
    """Yes or no, given as JSON true or false."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            raise serializers.ValidationError(str(NOT_BOOLEAN), code="invalid")
        return data


class DecimalField(serializers.DecimalField):
    """An exact decimal, given as a JSON string such as "1.5"."""

    def to_internal_value(self, data: Any) -> Decimal:
        if not isinstance(data, str):
            raise serializers.ValidationError(str(NOT_DECIMAL_TEXT), code="invalid")
        value: Decimal = super().to_internal_value(data)
        return value


class DateField(serializers.DateField):
    """A date between FIRST_YEAR and LAST_YEAR."""

    def to_internal_value(self, value: Any) -> dt.date:
        parsed: dt.date = super().to_internal_value(value)
        _check_year(parsed)
        return parsed


class DateTimeField(serializers.DateTimeField):
    """A time between FIRST_YEAR and LAST_YEAR; without an offset it is read as local time."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        parsed: dt.datetime = super().to_internal_value(value)
        _check_year(parsed)
        return parsed


# A ModelSerializer with bounded dates and no automatic uniqueness validators (the services
# check uniqueness and report it on the field to correct). No docstring: the schema would show it
# as the description of every serializer built on it.
class ModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
        models.CharField: CharField,
        models.TextField: CharField,
        models.SlugField: CharField,
        models.IntegerField: IntegerField,
        models.BigIntegerField: IntegerField,
        models.SmallIntegerField: IntegerField,
        models.PositiveIntegerField: IntegerField,
        models.PositiveSmallIntegerField: IntegerField,
        models.BooleanField: BooleanField,
        models.DecimalField: DecimalField,
    }

    def get_validators(self) -> list[Any]:
        return []


def _viewer(field: serializers.Field) -> Any:  # type: ignore[type-arg]
    request = field.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.STR)
class ScopedSlugField(serializers.Field):  # type: ignore[type-arg]
    """A record named by a code (unit code, 工号), looked up among what the viewer may see."""

    default_error_messages = {"invalid": _("请填写编码(文本)。")}

    def __init__(self, *, selector: Selector, slug_field: str, unknown: Any, **kwargs: Any) -> None:
        self.selector = selector
        self.slug_field = slug_field
        self.unknown = unknown
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, self.slug_field))

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not data.strip() or "\x00" in data:
            self.fail("invalid")
        code = data.strip()
        matches = (
            list(self.selector(viewer=_viewer(self)).filter(**{self.slug_field: code})[:2])
            if len(code) <= 100
            else []
        )
        if len(matches) != 1:
            raise serializers.ValidationError(str(self.unknown).format(value=code))
        return matches[0]


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(serializers.Field):  # type: ignore[type-arg]
    """A record named by its id, looked up among what the viewer may see."""

    default_error_messages = {"invalid": _("请填写编号(JSON 整数)。")}

    def __init__(self, *, selector: Selector, unknown: Any, **kwargs: Any) -> None:
        self.selector = selector
        self.unknown = unknown
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        # Read the foreign key's column rather than loading the related row.
        if len(self.source_attrs) == 1 and hasattr(instance, f"{self.source_attrs[0]}_id"):
            return getattr(instance, f"{self.source_attrs[0]}_id")
        return super().get_attribute(instance)

    def to_representation(self, value: Any) -> int:
        return int(value.pk if isinstance(value, models.Model) else value)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        pk = data
        found = self.selector(viewer=_viewer(self)).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(str(self.unknown).format(value=pk))
        return found


def unit_field(**kwargs: Any) -> ScopedSlugField:
    """A unit (组织单元) by its code, among the units the viewer may see."""
    from kaoping.org.selectors import unit_list

    return ScopedSlugField(
        selector=unit_list,
        slug_field="code",
        unknown=_("没有编码为“{value}”的单元(或您无权查看)。"),
        **kwargs,
    )


def employee_field(**kwargs: Any) -> ScopedSlugField:
    """An employee (员工) by 工号, among the employees the viewer may see."""
    from kaoping.org.selectors import employee_roster

    return ScopedSlugField(
        selector=employee_roster,
        slug_field="number",
        unknown=_("没有工号为“{value}”的员工(或您无权查看)。"),
        **kwargs,
    )


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "0.9500"})
class RatioField(serializers.ReadOnlyField):
    """A ratio (收缴率, 接通率 …) as text with four decimals, rounded half up; null without base."""

    def to_representation(self, value: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(value).quantize(Decimal("0.0001"), ROUND_HALF_UP))
