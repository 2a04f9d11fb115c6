"""What every endpoint shares: 401 without credentials, the schema and its docs, pagination,
request rates, JSON errors in the user's language, and `/api/me/`."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from io import StringIO
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ApiWorld
from kaoping.org.services import employee_create

Client = Callable[[str | None], APIClient]


@functools.cache
def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the schema, `{id}` filled in."""
    schema = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    return [
        (method, path.replace("{id}", "1"))
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "patch", "delete"}
    ]


def test_every_operation_answers_401_without_credentials(
    api_world: ApiWorld, api_client: Client
) -> None:
    anonymous = api_client(None)
    found = operations()

    answers = {
        (method, path): getattr(anonymous, method)(path, {}, format="json").status_code
        for method, path in found
    }

    assert len(found) >= 100
    assert {code for code in answers.values()} == {401}, {
        key: code for key, code in answers.items() if code != 401
    }


def test_the_schema_generates_without_warnings_and_is_served(
    api_world: ApiWorld, api_client: Client, tmp_path: Any
) -> None:
    out = StringIO()
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "s.yaml"),
        stderr=out,
    )
    assert out.getvalue() == ""

    served = api_client(None).get("/api/schema/?format=json")
    assert served.status_code == 200
    schema = json.loads(served.content)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "个人接口令牌:`Authorization: Token <令牌>`(`kaoping token create 用户名`)。",
    }
    assert set(schema["paths"]["/api/complaints/bulk/"]["post"]["responses"]) >= {
        "200",
        "201",
        "400",
        "401",
        "403",
        "429",
    }


def test_the_docs_load_their_assets_from_this_server(
    api_world: ApiWorld, api_client: Client
) -> None:
    page = api_client(None).get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    asset = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert asset in html
    assert "cdn" not in html.lower()
    served = api_client(None).get(asset)
    assert served.status_code == 200


def test_lists_are_paginated_50_by_default_up_to_500(
    api_world: ApiWorld, api_client: Client
) -> None:
    company = api_world.world.company
    for n in range(60):
        employee_create(actor=None, company=company, number=f"N{n:03d}", name=f"新员工{n}")
    admin = api_client("admin")

    first = admin.get("/api/employees/").json()
    big = admin.get("/api/employees/?page_size=500").json()
    second = admin.get("/api/employees/?page=2").json()

    assert (first["count"], len(first["results"])) == (64, 50)
    assert first["next"].endswith("/api/employees/?page=2")
    assert (len(big["results"]), len(second["results"])) == (64, 14)
    for bad in ("501", "0", "abc"):
        refused = admin.get(f"/api/employees/?page_size={bad}")
        assert (refused.status_code, refused.json()) == (
            400,
            {"page_size": ["page_size 须为 1 至 500 的整数。"]},
        )
    assert admin.get("/api/employees/?page=9").status_code == 404


def test_requests_over_the_rate_answer_429(
    api_world: ApiWorld, api_client: Client, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    cache.clear()
    user = api_client("emp1")
    codes = [user.get("/api/me/").status_code for _ in range(4)]
    anonymous = [api_client(None).get("/api/docs/").status_code for _ in range(3)]

    assert codes == [200, 200, 200, 429]
    assert anonymous == [200, 200, 429]
    limited = user.get("/api/findings/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert api_client("emp2").get("/api/me/").status_code == 200  # counted per user


def test_errors_are_json_in_the_users_language(api_world: ApiWorld, api_client: Client) -> None:
    chinese = api_client(None).get("/api/findings/")
    english = api_client(None).get("/api/findings/", HTTP_ACCEPT_LANGUAGE="en")
    nowhere = api_client("quality").get("/api/no-such-list/")

    assert chinese.json() == {"detail": "身份认证信息未提供。"}
    assert english.json() == {"detail": "Authentication credentials were not provided."}
    assert (nowhere.status_code, nowhere["Content-Type"]) == (404, "application/json")


def test_me_names_the_employee_companies_and_roles(api_world: ApiWorld, api_client: Client) -> None:
    assert api_client("emp1").get("/api/me/").json() == {
        "username": "gz-emp1",
        "employee": "GZ001",
        "companies": ["GZ"],
        "roles": {"employee": ["GZ-P1-T1"]},
    }
    assert api_client("sup1").get("/api/me/").json()["roles"] == {"supervisor": ["GZ-P1-T1"]}


def test_the_browsable_api_renders_every_list_and_its_forms(
    api_world: ApiWorld, api_client: Client
) -> None:
    session = APIClient()
    session.force_login(api_world.users["quality"])
    lists = sorted(
        {
            path
            for method, path in operations()
            if method == "get" and "{" not in path and path.count("/") == 3
        }
    )

    answers = {path: session.get(path, HTTP_ACCEPT="text/html").status_code for path in lists}

    assert len(lists) >= 24
    assert set(answers.values()) == {200}, answers
