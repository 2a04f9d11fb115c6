"""Excel upload (表格导入) for quality, HR and admins: a sheet of a kind, its preview, its import.

Uploading checks the sheet with a dry run (sheet_import(dry_run=True): nothing written) and
shows the report: rows read, what would be created or updated, every error with its row,
column, value and reason. A clean preview keeps the file for this session only (a temporary
file named by a random token held in the session) and offers 确认导入, which imports it
through the same service; a sheet with any error imports nothing (all or nothing). The import
templates of every kind are downloadable.
"""

from __future__ import annotations

import secrets
import tempfile
from io import BytesIO
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.org.access import scope_of
from kaoping.org.models import Company, Role
from kaoping.org.selectors import viewer_company
from kaoping.sheets.exports.template import template_workbook
from kaoping.sheets.importers import importer_for, importers
from kaoping.sheets.services import ImportReport, sheet_import

from ..rendering import acting_user, render_page

UPLOAD_ROLES = (Role.QUALITY, Role.HR, Role.ADMIN)
SESSION_KEY = "kaoping-sheet-upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPIRED = _("预览已过期,请重新上传表格。")
IMPORTED = _("已导入“{name}”:{summary}")


def _kinds() -> list[tuple[str, str]]:
    return [(importer.key, importer.shown_title) for importer in importers()]


class UploadForm(forms.Form):
    """The kind of sheet and the file (.xlsx, .xls or .csv)."""

    kind = forms.ChoiceField(
        label=_("导入类型"),
        choices=_kinds,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("请选择导入类型。")},
    )
    file = forms.FileField(
        label=_("表格文件"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xlsm,.xls,.csv"}
        ),
        error_messages={"required": _("请选择要上传的表格文件。")},
    )


def _company(request: HttpRequest) -> Company:
    """The uploader's company; 403 for a user who holds none of the uploading roles."""
    scope = scope_of(request.user)
    if not any(scope.has_role(role) for role in UPLOAD_ROLES):
        raise PermissionDenied
    company = viewer_company(viewer=request.user)
    if company is None:
        raise PermissionDenied
    return company


def _stash_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "kaoping-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _stash(request: HttpRequest, kind: str, name: str, content: bytes) -> str:
    """Keep a previewed file for this session; returns its token."""
    _discard(request)
    token = secrets.token_urlsafe(16)
    (_stash_dir() / token).write_bytes(content)
    request.session[SESSION_KEY] = {"token": token, "kind": kind, "name": name}
    return token


def _discard(request: HttpRequest) -> None:
    held = request.session.pop(SESSION_KEY, None)
    if held:
        (_stash_dir() / held["token"]).unlink(missing_ok=True)


def _page(
    request: HttpRequest,
    form: UploadForm,
    report: ImportReport | None = None,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    return render_page(
        request,
        "web/sheets/upload.html",
        {"form": form, "report": report, "token": token, "kinds": _kinds()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sheet_upload(request: HttpRequest) -> HttpResponse:
    """上传表格: choose the kind and the file; a post previews it (dry run) and shows the report."""
    company = _company(request)
    if request.method == "GET":
        return _page(request, UploadForm(initial={"kind": request.GET.get("kind", "")}))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    kind = form.cleaned_data["kind"]
    report = sheet_import(
        actor=acting_user(request),
        kind=kind,
        file=BytesIO(content),
        company=company,
        dry_run=True,
        file_name=upload.name,
    )
    token = "" if report.refused else _stash(request, kind, report.file_name, content)
    return _page(request, form, report, token, status=400 if report.refused else 200)


@require_http_methods(["POST"])
def sheet_import_confirm(request: HttpRequest) -> HttpResponse:
    """确认导入: import the file previewed in this session (the token must match)."""
    company = _company(request)
    held = request.session.get(SESSION_KEY)
    path = _stash_dir() / held["token"] if held else None
    if not held or request.POST.get("token") != held["token"] or path is None or not path.exists():
        messages.error(request, EXPIRED)
        return redirect("web:sheet_upload")
    report = sheet_import(
        actor=acting_user(request),
        kind=held["kind"],
        file=BytesIO(path.read_bytes()),
        company=company,
        file_name=held["name"],
    )
    _discard(request)
    if report.refused:
        return _page(request, UploadForm(initial={"kind": held["kind"]}), report, status=400)
    messages.success(request, IMPORTED.format(name=report.file_name, summary=report.summary()))
    return redirect("web:sheet_upload")


@require_GET
def sheet_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The import template of a kind (.xlsx)."""
    _company(request)
    importer = importer_for(kind)
    if importer is None or importer.key != kind:
        raise Http404(kind)
    response = HttpResponse(template_workbook(importer), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kaoping-{importer.key}.xlsx"'
    return response
