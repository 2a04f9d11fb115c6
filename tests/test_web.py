"""The web front answers over HTTP: health check and home page."""

import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_ok_and_the_database_vendor(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert response.json()["database"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_home_page_is_in_simplified_chinese_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "<title>考评 Kaoping</title>" in content
    assert "<h1>考评 Kaoping</h1>" in content


@pytest.mark.django_db
def test_home_page_follows_the_browser_language(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en"})

    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_home_page_lists_every_built_in_policy(client: Client) -> None:
    content = client.get("/").content.decode()

    assert 'href="/policies/cs-group-inspection/"' in content
    assert "项目客户服务组检查与考评办法" in content
    assert content.count('href="/policies/') == 10


@pytest.mark.django_db
def test_policy_page_shows_the_table_lint_and_the_explained_example(client: Client) -> None:
    response = client.get("/policies/cs-violation-penalties/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "[16, 20)" in content  # the seed's gap, filled by an assumed band and linted
    assert "<li>本人绩效扣减合计 46.00 元</li>" in content  # E101 of the example, explained


@pytest.mark.django_db
def test_unknown_policy_page_is_404(client: Client) -> None:
    assert client.get("/policies/no-such-policy/").status_code == 404
