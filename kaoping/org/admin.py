"""Django admin for the configuration records, for administrators only, with audit events.

The admin is a configuration tool: only users holding the admin role (or Django superusers)
get in, and every save or delete made there is appended to the audit log like a service write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot

from .access import scope_of
from .models import Company, Employee, OrgUnit, Placement, Position, Role, RoleAssignment


def is_configuration_admin(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or scope_of(user).has_role(Role.ADMIN)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose writes are audited and which only configuration admins may use."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_configuration_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_configuration_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_configuration_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_configuration_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_configuration_admin(request)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Form, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        if isinstance(obj, OrgUnit) and not change:
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
            obj.save(update_fields=["path"])
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.model_name}.{'change' if change else 'create'}",
            obj=obj,
            before=before,
            after=snapshot(obj),
            reason=_("系统管理后台").__str__(),
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        before = snapshot(obj)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.model_name}.delete",
            obj=obj,
            before=before,
            reason=_("系统管理后台").__str__(),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


admin.site.has_permission = is_configuration_admin  # type: ignore[method-assign]


@admin.register(Company)
class CompanyAdmin(AuditedAdmin):
    list_display = ["code", "name", "minimum_wage"]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]
    list_select_related = ["parent"]


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ["code", "name", "base_pay", "floating_pay"]


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    list_display = ["number", "name", "phone", "active"]
    search_fields = ["number", "name"]


@admin.register(Placement)
class PlacementAdmin(AuditedAdmin):
    list_display = ["employee", "unit", "position", "supervisor", "start", "end"]
    list_select_related = ["employee", "unit", "position", "supervisor"]
    raw_id_fields = ["employee", "supervisor"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ["user", "role", "unit", "start", "end"]
    list_filter = ["role"]
    list_select_related = ["user", "unit"]
