"""What every API view shares: the viewer, answering with a record as the viewer reads it, and
the company a request acts in; and `/api/me/`, who the token or session belongs to.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    schema,
    throttle_classes,
)
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kaoping.org.access import scope_of
from kaoping.org.models import Company
from kaoping.org.selectors import employee_list, unit_list

COMPANY_REQUIRED = _("您属于多家公司,请用 company 字段指明公司编码。")
COMPANY_UNKNOWN = _("没有编码为“{value}”的公司(或您不属于该公司)。")
NO_COMPANY = _("您不属于任何公司。")


class ScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """A viewset whose `get_queryset` is a selector called with the request user as viewer.

    Writes call a service with the request user as actor, then answer with the record as the
    viewer reads it (re-read through the selector, so the answer shows what a GET would).
    """

    @property
    def viewer(self) -> Any:
        return self.request.user

    @property
    def actor(self) -> User:
        """The signed-in user a write acts as (never None: None is the system itself)."""
        user = self.request.user
        if not isinstance(user, User):
            raise NotAuthenticated()
        return user

    def reread(self, obj: Model) -> Model:
        """`obj` as the list reads it; `obj` itself when the viewer may not read it (e.g. HR
        creating an employee who is not placed yet)."""
        found = self.get_queryset().filter(pk=obj.pk).first()
        return found if found is not None else obj

    def answer(self, obj: Model, *, code: int = status.HTTP_200_OK) -> Response:
        """Answer with `obj` as this viewset shows its records."""
        return Response(self.get_serializer(self.reread(obj)).data, status=code)

    def validated(
        self,
        serializer_class: type[serializers.BaseSerializer],  # type: ignore[type-arg]
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The request body checked by `serializer_class` (400 with field errors otherwise)."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        return data


def company_for(request: Request, code: str | None = None) -> Company:
    """The company a request acts in: the one named (among the user's), or the user's only one."""
    companies = Company.objects.filter(pk__in=scope_of(request.user).company_ids)
    if code:
        company = companies.filter(code=code).first()
        if company is None:
            raise ValidationError({"company": [str(COMPANY_UNKNOWN).format(value=code)]})
        return company
    found = list(companies[:2])
    if not found:
        raise ValidationError({"company": [str(NO_COMPANY)]})
    if len(found) > 1:
        raise ValidationError({"company": [str(COMPANY_REQUIRED)]})
    return found[0]


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField()
    employee = serializers.CharField(allow_null=True, help_text=_("本人的工号"))
    companies = serializers.ListField(child=serializers.CharField(), help_text=_("公司编码"))
    roles = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("角色 → 所辖单元编码"),
    )


class MeView(APIView):
    """Who the request acts as: user, 工号, companies and roles over units (by unit code)."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        scope = scope_of(request.user)
        paths = {path for prefixes in scope.roles.values() for path in prefixes}
        codes = dict(
            unit_list(viewer=request.user).filter(path__in=paths).values_list("path", "code")
        )
        employee = None
        if scope.employee_id is not None:
            employee = (
                employee_list(viewer=request.user)
                .filter(pk=scope.employee_id)
                .values_list("number", flat=True)
                .first()
            )
        data = {
            "username": request.user.get_username(),
            "employee": employee,
            "companies": sorted(
                Company.objects.filter(pk__in=scope.company_ids).values_list("code", flat=True)
            ),
            "roles": {
                role: sorted(codes[p] for p in prefixes if p in codes)
                for role, prefixes in sorted(scope.roles.items())
            },
        }
        return Response(MeSerializer(data).data)


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
@schema(None)
def not_found(request: Request, rest: str = "") -> Response:
    """Any other path under /api/: 404 in JSON, like every other answer of the API."""
    raise NotFound()
