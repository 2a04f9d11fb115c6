"""Sheet imports over the API (表格导入): upload an .xlsx or .csv of a kind, get the per-row report.

    POST /api/imports/                   multipart: kind, file, dry_run, company
    GET  /api/import-templates/{kind}/   the kind's import template (.xlsx, with its 说明 sheet)

The upload goes through the same service as the web upload page and `kaoping import`
(kaoping.sheets.services.sheet_import): all or nothing, every row through the owning app's
services. The answer is the report in the request's language: 201 with the counts when the
rows were written, 200 for a clean dry run (nothing written), 400 with every error (row,
column, value, reason) and nothing written. A file refused as a whole (too large, not what its
name says, a zip bomb, too many rows) also names the field: `{"file": [...]}`.

Quality, HR and admins import (as on the web); anyone else is refused (403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kaoping.api.views import company_for
from kaoping.org.access import scope_of
from kaoping.org.models import Role

from .exports.template import template_workbook
from .files import max_bytes, size_text
from .importers import importer_for, importers
from .services import ImportReport, sheet_import

IMPORT_ROLES = (Role.QUALITY, Role.HR, Role.ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_ALLOWED = _("只有质管部、人力资源部和系统管理员可以导入表格。")
FILE_TOO_LARGE = _("文件太大({size}),导入文件不能超过 {limit}。请拆分后分批导入。")
FILE_REQUIRED = _("请选择要上传的表格文件。")
KIND_REQUIRED = _("请选择导入类型。")
KIND_UNKNOWN = _("未知的导入类型“{kind}”,可选:{kinds}")


def _kind_choices() -> list[tuple[str, str]]:
    return [(importer.key, importer.key) for importer in importers()]


def _may_import(request: Request) -> None:
    scope = scope_of(request.user)
    if not any(scope.has_role(role) for role in IMPORT_ROLES):
        raise PermissionDenied(str(NOT_ALLOWED))


class KindField(serializers.ChoiceField):
    """An import kind by its key (the schema lists them); an unknown one names the choices."""

    def to_internal_value(self, data: Any) -> str:
        if data in ("", None):
            raise serializers.ValidationError(str(KIND_REQUIRED), code="required")
        if str(data) not in self.choices:
            kinds = "、".join(str(key) for key in self.choices)
            raise serializers.ValidationError(
                str(KIND_UNKNOWN).format(kind=str(data)[:60], kinds=kinds), code="invalid_choice"
            )
        return str(data)


class ImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = KindField(
        choices=_kind_choices(),
        help_text=_("导入类型,如 people、findings、complaints"),
        error_messages={"required": KIND_REQUIRED},
    )
    file = serializers.FileField(
        help_text=_(".xlsx 或 .csv 文件(UTF-8 或 GB18030)"),
        allow_empty_file=True,
        error_messages={"required": FILE_REQUIRED, "invalid": FILE_REQUIRED},
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("试运行:检查全部行,不写入任何数据")
    )
    company = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("公司编码(属于多家公司时必填)"),
    )


class ImportErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField(help_text=_("表格行号;0 表示整个文件"))
    column = serializers.CharField(help_text=_("列(如“C 列「工号」”);空表示整行"))
    value = serializers.CharField(help_text=_("表格中的值"))
    reason = serializers.CharField(help_text=_("原因"))


class ImportReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    kind_title = serializers.CharField(help_text=_("导入类型名称"))
    file_name = serializers.CharField()
    sheet = serializers.CharField(help_text=_("读取的工作表"))
    header_row = serializers.IntegerField(help_text=_("表头所在行;0 表示未找到"))
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(help_text=_("是否已写入数据库"))
    rows_read = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    imported = serializers.IntegerField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]


class ImportRefusalSerializer(ImportReportSerializer):
    """400: the report with every error (nothing written), or the fields to correct before a
    sheet is read (`kind`, `file`, `dry_run`, `company`): then only those keys."""

    file = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("整个文件被拒绝的原因(文件太大、类型不符、行数超限等)"),
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[type-arg]
        for field in fields.values():
            field.required = False
        return fields


def _report_data(report: ImportReport) -> dict[str, Any]:
    data: dict[str, Any] = ImportReportSerializer(report).data  # type: ignore[assignment]
    whole_file = [error.reason for error in report.errors if error.row == 0]
    if whole_file:
        data = {**data, "file": whole_file}
    return data


class SheetImportView(APIView):
    """Import a sheet (表格导入): all or nothing, with every error's row, column, value and reason."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="imports_create",
        summary=_("导入表格"),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: OpenApiResponse(
                ImportReportSerializer, description=_("试运行通过,未写入任何数据")
            ),
            201: OpenApiResponse(ImportReportSerializer, description=_("已导入")),
            400: OpenApiResponse(ImportRefusalSerializer, description=_("有错误,未写入任何记录")),
        },
    )
    def post(self, request: Request) -> Response:
        _may_import(request)
        upload = request.data.get("file") if hasattr(request.data, "get") else None
        size = getattr(upload, "size", None)
        if isinstance(size, int) and size > max_bytes():
            # Refused before anything else is read, and without waiting for the other fields.
            message = str(FILE_TOO_LARGE).format(size=size_text(size), limit=size_text(max_bytes()))
            return Response({"file": [message]}, status=status.HTTP_400_BAD_REQUEST)
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        company = company_for(request, data.get("company") or None)
        report = sheet_import(
            actor=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            file=data["file"],
            company=company,
            dry_run=data["dry_run"],
            file_name=getattr(data["file"], "name", None),
        )
        code: int
        if report.refused:
            code = status.HTTP_400_BAD_REQUEST
        elif report.dry_run:
            code = status.HTTP_200_OK
        else:
            code = status.HTTP_201_CREATED
        return Response(_report_data(report), status=code)


class SheetTemplateView(APIView):
    """The import template of a kind (导入模板): Chinese headers, and a 说明 sheet explaining
    every column (what `kaoping export template KIND` writes)."""

    @extend_schema(
        operation_id="import_templates_retrieve",
        summary=_("下载导入模板"),
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=[key for key, _label in _kind_choices()],
                description=_("导入类型"),
            )
        ],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=_("导入模板"))},
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        _may_import(request)
        importer = importer_for(kind) if len(kind) <= 60 else None
        if importer is None:
            raise NotFound()
        response = HttpResponse(template_workbook(importer), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{importer.key}-template.xlsx"'
        return response
