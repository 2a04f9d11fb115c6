from django.contrib import admin

from kaoping.org.admin import AuditedAdmin

from .models import PolicyAssignment


@admin.register(PolicyAssignment)
class PolicyAssignmentAdmin(AuditedAdmin):
    """Where policies apply; versions are edited through the policy services, never here."""

    list_display = ["document", "position", "unit", "unit_kind", "consequences", "start", "end"]
    list_select_related = ["document", "position", "unit", "consequences"]
