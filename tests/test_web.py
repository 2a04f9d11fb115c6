"""The web front answers over HTTP: health check, sign-in first, and the built-in policy pages."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client


@pytest.fixture
def signed_in(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_user(username="reader", password="pw"))
    return client


@pytest.mark.django_db
def test_healthz_reports_ok_and_the_database_vendor_without_signing_in(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert response.json()["database"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_home_page_asks_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


@pytest.mark.django_db
def test_sign_in_page_is_in_simplified_chinese_by_default(client: Client) -> None:
    response = client.get("/login/")

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "<title>登录 · 考评 Kaoping</title>" in content


@pytest.mark.django_db
def test_sign_in_page_follows_the_browser_language(client: Client) -> None:
    response = client.get("/login/", headers={"accept-language": "en"})

    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_policy_list_shows_every_built_in_policy(signed_in: Client) -> None:
    content = signed_in.get("/policies/").content.decode()

    assert 'href="/policies/cs-group-inspection/"' in content
    assert "项目客户服务组检查与考评办法" in content
    assert content.count('href="/policies/') == 10 + 1  # each policy, and the menu's entry


def test_policy_page_shows_the_table_lint_and_the_explained_example(signed_in: Client) -> None:
    response = signed_in.get("/policies/cs-violation-penalties/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "[16, 20)" in content  # the seed's gap, filled by an assumed band and linted
    assert "<li>本人绩效扣减合计 46.00 元</li>" in content  # E101 of the example, explained


def test_unknown_policy_page_is_404(signed_in: Client) -> None:
    assert signed_in.get("/policies/no-such-policy/").status_code == 404
