"""Personal API tokens: `kaoping token create|list|revoke`, the Token header, and sessions."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from kaoping.api.models import ApiToken
from kaoping.audit.models import AuditEvent
from kaoping.org.tests.factories import World

pytestmark = pytest.mark.django_db


def token(*args: str) -> tuple[str, str]:
    """Run `kaoping token …`; return (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def me(secret: str | None, header: str | None = None) -> tuple[int, dict[str, object]]:
    client = APIClient()
    if header is not None or secret is not None:
        client.credentials(HTTP_AUTHORIZATION=header or f"Token {secret}")
    response = client.get("/api/me/")
    return response.status_code, response.json()


def test_create_prints_the_secret_once_and_stores_only_its_hash(world: World) -> None:
    # when quality's integration gets a token
    out, err = token("create", "gz-quality", "--name", "工单系统")

    # then the secret is printed alone on stdout, and it authenticates as quality
    secret = out.strip()
    assert secret.startswith("kp_") and len(secret) == 3 + 54 and "\n" not in secret
    stored = ApiToken.objects.get()
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:11] and stored.name == "工单系统"
    assert secret not in repr(list(ApiToken.objects.values()))
    assert f"已为 gz-quality 创建令牌 {stored.prefix}…" in err
    assert me(secret) == (
        200,
        {
            "username": "gz-quality",
            "employee": None,
            "companies": ["GZ"],
            "roles": {"quality": ["GZ"]},
        },
    )
    event = AuditEvent.objects.filter(action="api_token.create").get()
    assert (event.object_id, event.company_id, event.actor_name) == (
        str(stored.pk),
        world.company.pk,
        "system",
    )
    assert event.after is not None
    assert "key_hash" not in event.after and event.after["prefix"] == stored.prefix


def test_list_shows_prefixes_users_and_state_never_secrets(world: World) -> None:
    secret = token("create", "gz-emp1")[0].strip()
    token("create", "gz-sup1", "--name", "呼叫中心")
    me(secret)  # used once

    out, _ = token("list")

    lines = out.splitlines()
    assert lines[0] == "编号\t前缀\t用户\t用途\t创建时间\t最近使用\t状态"
    emp1, sup1 = (line.split("\t") for line in lines[1:])
    assert (emp1[1], emp1[2], emp1[3], emp1[6]) == (secret[:11] + "…", "gz-emp1", "—", "有效 live")
    assert emp1[5] != "—"  # last used
    assert (sup1[2], sup1[3], sup1[5]) == ("gz-sup1", "呼叫中心", "—")
    assert secret not in out
    assert token("list", "gz-sup1")[0].count("\n") == 2


def test_a_revoked_token_authenticates_nobody_and_revoking_again_changes_nothing(
    world: World,
) -> None:
    secret = token("create", "gz-emp1")[0].strip()
    assert me(secret)[0] == 200

    out, _ = token("revoke", secret[:11])

    assert out.startswith(f"已撤销令牌 {secret[:11]}…(gz-emp1)")
    assert me(secret) == (401, {"detail": "令牌无效或已撤销。"})
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    again, _ = token("revoke", str(ApiToken.objects.get().pk))
    assert again.startswith(f"令牌 {secret[:11]}… 已于 ") and again.endswith(
        "撤销 / already revoked\n"
    )
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_unknown_users_and_tokens_are_refused_by_the_command(world: World) -> None:
    with pytest.raises(CommandError, match="没有用户 nobody"):
        token("create", "nobody")
    User.objects.filter(username="gz-emp2").update(is_active=False)
    with pytest.raises(CommandError, match="用户“gz-emp2”已停用"):
        token("create", "gz-emp2")
    with pytest.raises(CommandError, match="没有前缀或编号为 kp_nothing 的令牌"):
        token("revoke", "kp_nothing")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token", "令牌格式错误:应为 “Authorization: Token <令牌>”。"),
        ("Token a b", "令牌格式错误:应为 “Authorization: Token <令牌>”。"),
        ("Token kp_not-a-token", "令牌无效或已撤销。"),
        ("Bearer kp_whatever", "身份认证信息未提供。"),
    ],
)
def test_a_bad_authorization_header_answers_401(world: World, header: str, detail: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/findings/")

    assert (response.status_code, response.json()) == (401, {"detail": detail})
    assert response["WWW-Authenticate"] == "Token"


def test_the_token_of_a_deactivated_user_answers_401(world: World) -> None:
    secret = token("create", "gz-hr")[0].strip()
    User.objects.filter(username="gz-hr").update(is_active=False)

    assert me(secret) == (401, {"detail": "令牌无效或已撤销。"})


def test_a_signed_in_session_reads_and_must_send_the_csrf_token_to_write(world: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])

    assert client.get("/api/units/").status_code == 200
    refused = client.post("/api/positions/", {"code": "cashier", "name": "收银员"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")

    client.get("/api/units/", HTTP_ACCEPT="text/html")  # the browsable API sets the cookie
    csrf = client.cookies["csrftoken"].value
    created = client.post(
        "/api/positions/",
        {"code": "cashier", "name": "收银员"},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert created.status_code == 201, created.json()
