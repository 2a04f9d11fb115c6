"""Bulk create for integrations (批量提交): a list of rows, all of them or none.

Every row carries the sender's `external_id`. A row whose external id is already stored with the
same content is reported `unchanged` and skipped, so a retried batch never duplicates; the same
external id with different content is an error of that row. Rows are checked first (fields,
references, external ids), then created one by one through the record's service inside one
transaction; if any row fails, the transaction is rolled back and the answer lists every row's
errors (index, field, message) — nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .exceptions import field_errors, translated

# The most rows one request may carry (settings.KAOPING_API_BULK_MAX_ROWS overrides it).
MAX_ROWS = 1000

NOT_A_LIST = _("请提交一个 JSON 数组,每个元素是一行记录。")
NO_ROWS = _("没有要提交的记录:数组为空。")
TOO_MANY_ROWS = _("一次最多提交 {limit} 行,本次为 {count} 行;请分批提交。")
EXTERNAL_ID_REQUIRED = _("批量提交时每行都须填写外部编号(external_id)。")
EXTERNAL_ID_REPEATED = _("外部编号“{external_id}”与本批第 {other} 行重复。")
EXTERNAL_ID_CONFLICT = _(
    "外部编号“{external_id}”已有记录(#{pk}),但内容与本行不同;如需修改请更新该记录。"
)
EXTERNAL_ID_HIDDEN = _("外部编号“{external_id}”在本公司已使用。")
REFUSED = _("有 {rows} 行存在错误,本批未写入任何记录。")
BATCH_REFUSED = _("请求有误,本批未写入任何记录。")

Key = tuple[int, str]  # (company id, external id)
# What became of a row that was accepted.
ROW_STATUSES = [("created", _("已创建")), ("unchanged", _("已存在且内容相同,跳过"))]


def max_rows() -> int:
    return int(getattr(settings, "KAOPING_API_BULK_MAX_ROWS", MAX_ROWS))


@dataclass(frozen=True)
class Existing:
    """A record already stored under a row's external id; `visible` False hides its id."""

    pk: int
    visible: bool
    same: bool


@dataclass(frozen=True)
class BulkKind:
    """How one record type is bulk-created.

    `create(actor, data)` calls the service and returns the record; `company_of(data)` the
    company a row belongs to; `existing(viewer, rows)` the records already stored under the rows'
    external ids, compared with each row.
    """

    row_serializer: type[serializers.Serializer]  # type: ignore[type-arg]
    create: Callable[[Any, dict[str, Any]], models.Model]
    company_of: Callable[[dict[str, Any]], int]
    existing: Callable[[Any, dict[Key, dict[str, Any]]], dict[Key, Existing]]


@dataclass
class RowError:
    index: int | None
    field: str
    message: str


def _flatten(index: int | None, errors: Any, prefix: str = "") -> list[RowError]:
    """DRF's nested error structure as one (field, message) per message."""
    if isinstance(errors, Mapping):
        found: list[RowError] = []
        for field, inner in errors.items():
            name = f"{prefix}.{field}" if prefix else str(field)
            found.extend(_flatten(index, inner, name))
        return found
    if isinstance(errors, list):
        found = []
        for position, inner in enumerate(errors):
            if isinstance(inner, Mapping | list):
                found.extend(
                    _flatten(index, inner, f"{prefix}.{position}" if prefix else str(position))
                )
            else:
                found.append(
                    RowError(index, prefix or api_settings.NON_FIELD_ERRORS_KEY, str(inner))
                )
        return found
    return [RowError(index, prefix or api_settings.NON_FIELD_ERRORS_KEY, str(errors))]


def _refusal(errors: Sequence[RowError]) -> Response:
    rows = {error.index for error in errors if error.index is not None}
    detail = str(REFUSED).format(rows=len(rows)) if rows else str(BATCH_REFUSED)
    ordered = sorted(errors, key=lambda e: (-1 if e.index is None else e.index, e.field))
    return Response(
        {
            "detail": detail,
            "errors": [{"index": e.index, "field": e.field, "message": e.message} for e in ordered],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def bulk_create(*, kind: BulkKind, rows: Any, actor: Any, context: dict[str, Any]) -> Response:
    """Check and create `rows` of one record type, all or none (see the module docstring)."""
    if not isinstance(rows, list):
        return _refusal([RowError(None, api_settings.NON_FIELD_ERRORS_KEY, str(NOT_A_LIST))])
    if not rows:
        return _refusal([RowError(None, api_settings.NON_FIELD_ERRORS_KEY, str(NO_ROWS))])
    limit = max_rows()
    if len(rows) > limit:
        message = str(TOO_MANY_ROWS).format(limit=limit, count=len(rows))
        return _refusal([RowError(None, api_settings.NON_FIELD_ERRORS_KEY, message)])

    errors: list[RowError] = []
    checked: list[tuple[int, Key, dict[str, Any]]] = []
    first_of: dict[Key, int] = {}
    for index, row in enumerate(rows):
        serializer = kind.row_serializer(data=row, context=context)
        if not serializer.is_valid():
            errors.extend(_flatten(index, serializer.errors))
            continue
        data = dict(serializer.validated_data)
        external_id = str(data.get("external_id", "")).strip()
        if not external_id:
            errors.append(RowError(index, "external_id", str(EXTERNAL_ID_REQUIRED)))
            continue
        data["external_id"] = external_id
        key = (kind.company_of(data), external_id)
        if key in first_of:
            message = str(EXTERNAL_ID_REPEATED).format(external_id=external_id, other=first_of[key])
            errors.append(RowError(index, "external_id", message))
            continue
        first_of[key] = index
        checked.append((index, key, data))

    stored = kind.existing(actor, {key: data for _, key, data in checked})
    outcomes: dict[int, tuple[str, int, str]] = {}
    to_create: list[tuple[int, Key, dict[str, Any]]] = []
    for index, key, data in checked:
        found = stored.get(key)
        if found is None:
            to_create.append((index, key, data))
        elif found.visible and found.same:
            outcomes[index] = ("unchanged", found.pk, key[1])
        elif found.visible:
            message = str(EXTERNAL_ID_CONFLICT).format(external_id=key[1], pk=found.pk)
            errors.append(RowError(index, "external_id", message))
        else:
            errors.append(
                RowError(index, "external_id", str(EXTERNAL_ID_HIDDEN).format(external_id=key[1]))
            )
    if errors:
        return _refusal(errors)

    with transaction.atomic():
        for index, key, data in to_create:
            try:
                record = kind.create(actor, data)
            except DjangoValidationError as exc:
                for field, messages in field_errors(exc).items():
                    errors.extend(RowError(index, field, message) for message in messages)
                continue
            except DjangoPermissionDenied as exc:
                message = translated(exc) or str(_("您没有权限执行此操作。"))
                errors.append(RowError(index, api_settings.NON_FIELD_ERRORS_KEY, message))
                continue
            outcomes[index] = ("created", record.pk, key[1])
        if errors:
            transaction.set_rollback(True)
    if errors:
        return _refusal(errors)

    created = sum(1 for outcome in outcomes.values() if outcome[0] == "created")
    body = {
        "created": created,
        "unchanged": len(outcomes) - created,
        "rows": [
            {"index": index, "external_id": external_id, "status": outcome, "id": pk}
            for index, (outcome, pk, external_id) in sorted(outcomes.items())
        ],
    }
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def bulk_request(
    *, kind: BulkKind, request: Request, actor: Any, context: dict[str, Any]
) -> Response:
    """`bulk_create` of a request's body; a body that is not JSON is refused the same way."""
    try:
        rows = request.data
    except ParseError as exc:
        return _refusal([RowError(None, api_settings.NON_FIELD_ERRORS_KEY, str(exc.detail))])
    return bulk_create(kind=kind, rows=rows, actor=actor, context=context)


# --- comparing a row with what is stored -----------------------------------------------------


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return ("pk", value.pk)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Decimal):
        return value.normalize() if value.is_finite() else value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo is not None else value
    return value


def same_content(
    record: models.Model,
    data: Mapping[str, Any],
    fields: Iterable[str],
    defaults: Mapping[str, Any],
) -> bool:
    """The stored `record` holds what creating `data` would store, field by field.

    A field the row leaves out counts with the value the service would give it (`defaults`, or
    the model field's own default).
    """
    for name in fields:
        field = record._meta.get_field(name)
        if name in data:
            wanted = data[name]
        elif name in defaults:
            wanted = defaults[name]
        else:
            wanted = field.get_default()  # type: ignore[union-attr]
        current = getattr(record, name)
        if wanted is None and isinstance(current, str):
            wanted = ""
        if _comparable(current) != _comparable(wanted):
            return False
    return True


def content_digest(data: Mapping[str, Any]) -> str:
    """A digest of a row as sent (references by id), for record types compared by digest."""

    def plain(value: Any) -> Any:
        value = _comparable(value)
        if isinstance(value, tuple):
            return list(value)
        if isinstance(value, Decimal | dt.date | dt.datetime):
            return str(value)
        return value

    canonical = json.dumps(
        {name: plain(value) for name, value in sorted(data.items())},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the answers, for the schema -------------------------------------------------------------


class BulkRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    index = serializers.IntegerField(help_text=_("行号(从 0 起,即数组下标)"))
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=ROW_STATUSES)
    id = serializers.IntegerField()


class BulkResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rows = BulkRowSerializer(many=True)


class BulkErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    index = serializers.IntegerField(
        allow_null=True, help_text=_("行号(从 0 起);整批的错误为 null")
    )
    field = serializers.CharField()
    message = serializers.CharField()


class BulkRefusalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()
    errors = BulkErrorSerializer(many=True)  # type: ignore[assignment]  # a field, not .errors


def bulk_schema(row_serializer: type[serializers.Serializer], noun: Any) -> Any:  # type: ignore[type-arg]
    """The OpenAPI description of a bulk-create action for rows of `row_serializer`."""
    return extend_schema(
        summary=format_lazy(_("批量创建{noun}"), noun=noun),
        description=_(
            "提交一个数组(每行须有 external_id),全部成功或全部不写入。已存在且内容相同的行"
            "标记为 unchanged 并跳过;内容不同则为该行的错误。"
        ),
        request=row_serializer(many=True),
        responses={
            200: OpenApiResponse(BulkResultSerializer, description=_("全部已存在,未创建新记录")),
            201: OpenApiResponse(BulkResultSerializer, description=_("已创建")),
            400: OpenApiResponse(BulkRefusalSerializer, description=_("有错误,未写入任何记录")),
        },
    )
