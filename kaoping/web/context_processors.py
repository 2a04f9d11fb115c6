"""What every page's layout needs: the menu and who is signed in (name, roles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise, SimpleLazyObject

from kaoping.org.access import scope_of
from kaoping.org.models import Employee, Role

from .nav import NavGroup, nav_for
from .templatetags.kaoping import display_name


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the top bar shows them."""

    name: str
    roles: tuple[Promise | str, ...]


def _viewer(request: HttpRequest) -> Viewer | None:
    user = request.user
    if not user.is_authenticated:
        return None
    scope = scope_of(user)
    name = ""
    if scope.employee_id is not None:
        name = (
            Employee.objects.filter(pk=scope.employee_id).values_list("name", flat=True).first()
            or ""
        )
    name = name or display_name(user)
    roles = tuple(Role(role).label for role in Role.values if scope.has_role(role))
    return Viewer(name=name, roles=roles)


def _nav(request: HttpRequest) -> list[NavGroup]:
    if not request.user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else None
    return nav_for(
        scope_of(request.user),
        view_name=view_name,
        path=request.path,
        home=view_name == "web:home",
    )


def layout(request: HttpRequest) -> dict[str, Any]:
    """`nav` (the menu's groups) and `viewer` (name and roles), computed only when used."""
    return {
        "nav": SimpleLazyObject(lambda: _nav(request)),
        "viewer": SimpleLazyObject(lambda: _viewer(request)),
    }
