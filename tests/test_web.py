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
