"""Policies (考评办法) over the API, read-only: the built-in policies shipped with Kaoping, and the
company's policy documents with their versions, each with its YAML text.

A company's policies are public to everyone they bind (kaoping.policies.selectors
.policy_document_list: the viewer's companies); the built-in ones to every signed-in user.
Drafts are edited and published on the web (质管部).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.fields import CharField, IntegerField, ModelSerializer
from kaoping.api.filters import FilterSet
from kaoping.api.views import ScopedViewSet
from kaoping.policies.models import PolicyDocument, PolicyVersion
from kaoping.policies.selectors import policy_document_list, policy_version_list
from kaoping.scoring import builtin_policies, load_policy_text


@cache
def builtin_sources() -> dict[str, str]:
    """The YAML text of every built-in policy, by id (the files of kaoping/scoring/policies)."""
    folder = resources.files("kaoping.scoring") / "policies"
    sources = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            sources[load_policy_text(text, source=entry.name).id] = text
    return sources


class BuiltinPolicySerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField(help_text=_("办法编号,如 cs-group-inspection"))
    title = serializers.CharField()
    title_en = serializers.CharField()
    kind = serializers.CharField(help_text=_("scoring(评分)或 ledger(处罚台账)"))
    subject = serializers.CharField(help_text=_("考评对象"))
    period = serializers.CharField(help_text=_("周期"))
    source = serializers.CharField(help_text=_("YAML 文本"))  # type: ignore[assignment]


def _builtin_row(policy_id: str) -> dict[str, Any]:
    policy = builtin_policies()[policy_id]
    return {
        "id": policy.id,
        "title": policy.title,
        "title_en": policy.title_en,
        "kind": policy.kind,
        "subject": str(policy.subject),
        "period": str(policy.period),
        "source": builtin_sources()[policy_id],
    }


class BuiltinPolicyViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The built-in policies (内置考评办法) shipped with Kaoping, with their YAML text: what a
    company installs and adapts."""

    serializer_class = BuiltinPolicySerializer
    filter_backends: list[Any] = []
    lookup_value_regex = "[a-z0-9-]+"

    def get_queryset(self) -> Any:
        return None

    def list(self, request: Request) -> Response:
        rows = [_builtin_row(policy_id) for policy_id in sorted(builtin_policies())]
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(BuiltinPolicySerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH)],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        if pk not in builtin_policies():
            raise NotFound()
        return Response(BuiltinPolicySerializer(_builtin_row(pk)).data)


class PolicyDocumentSerializer(ModelSerializer):
    company = CharField(source="company.code", read_only=True, help_text=_("公司编码"))
    code = CharField(read_only=True, help_text=_("办法编号"))

    class Meta:
        model = PolicyDocument
        fields = ["id", "company", "code", "title", "subject", "period"]
        read_only_fields = fields


class PolicyVersionSerializer(ModelSerializer):
    document = IntegerField(source="document_id", read_only=True, help_text=_("考评办法"))
    code = CharField(source="document.code", read_only=True, help_text=_("办法编号"))
    created_by = CharField(source="created_by.username", read_only=True, allow_null=True)
    published_by = CharField(source="published_by.username", read_only=True, allow_null=True)

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "document",
            "code",
            "number",
            "status",
            "effective_from",
            "source",
            "created_by",
            "created_at",
            "published_by",
            "published_at",
        ]
        read_only_fields = fields


class PolicyDocumentFilter(FilterSet):
    class Meta:
        model = PolicyDocument
        fields = ["code", "subject", "period"]


class PolicyVersionFilter(FilterSet):
    code = django_filters.CharFilter(field_name="document__code", label=_("办法编号"))

    class Meta:
        model = PolicyVersion
        fields = ["status"]


_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class PolicyDocumentViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """The company's policies (本公司考评办法): installed from the built-in ones or written
    here; their versions are at /api/policy-versions/."""

    serializer_class = PolicyDocumentSerializer
    filterset_class = PolicyDocumentFilter
    ordering_fields = ["code", "id"]

    def get_queryset(self) -> QuerySet[PolicyDocument]:
        return policy_document_list(viewer=self.viewer).select_related("company")


class PolicyVersionViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Versions of the company's policies (办法版本) with their YAML text: drafts, and published
    versions with the day they take effect."""

    serializer_class = PolicyVersionSerializer
    filterset_class = PolicyVersionFilter
    ordering_fields = ["number", "effective_from", "id"]

    def get_queryset(self) -> QuerySet[PolicyVersion]:
        return policy_version_list(viewer=self.viewer)
