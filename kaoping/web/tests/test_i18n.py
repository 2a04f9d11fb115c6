"""Chinese first, Traditional Chinese and English complete: the catalogues, and the pages in each
language (Accept-Language or the language cookie)."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings

from kaoping.web.catalogues import messages, read_po

from .conftest import signed_in
from .scenario import Scenario

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["zh_Hant", "en"]


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    entries = messages(read_po(_po(language)))

    untranslated = [entry.msgid for entry in entries if not entry.translated]
    assert len(entries) > 300
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language: str) -> None:
    entries = messages(read_po(_po(language)))
    with (_po(language).with_suffix(".mo")).open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]

    expected: dict[object, str] = {}
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            expected.update({(key, index): text for index, text in enumerate(entry.msgstr)})
    compiled_messages = {key: text for key, text in catalogue.items() if key != ""}
    assert compiled_messages == expected, "run scripts/i18n.sh to compile the catalogues"


def test_traditional_chinese_is_the_simplified_text_converted() -> None:
    entries = {entry.msgid: entry.msgstr[0] for entry in messages(read_po(_po("zh_Hant")))}

    assert entries["过失通知单"] == "過失通知單"
    assert entries["质管部"] == "質管部"
    assert entries["本月实时得分"] == "本月實時得分"


def test_english_uses_the_products_terms() -> None:
    entries = {entry.msgid: entry.msgstr[0] for entry in messages(read_po(_po("en")))}

    assert entries["过失通知单"] == "Fault notice"
    assert entries["考核表"] == "Appraisal form"
    assert entries["质管部"] == "Quality department"
    assert entries["自评"] == "Self-assessment"
    assert entries["申诉"] == "Appeals"


@pytest.fixture
def month(scenario: Scenario) -> Scenario:
    scenario.current_month()
    scenario.notice("e1")
    return scenario


@pytest.mark.django_db
def test_the_employee_home_in_english(month: Scenario) -> None:
    client = signed_in(month.world, "emp1", HTTP_ACCEPT_LANGUAGE="en")

    response = client.get("/")

    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<h1 class="page-title">My appraisal</h1>' in html
    assert "Live score this month" in html
    assert "Fault notices to sign for" in html
    assert "Sign for it" in html
    assert "Penalty points" in html
    assert "本月实时得分" not in html


@pytest.mark.django_db
def test_the_employee_home_in_traditional_chinese_by_cookie(month: Scenario) -> None:
    client = signed_in(month.world, "emp1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"

    html = client.get("/").content.decode()

    assert '<html lang="zh-hant">' in html
    assert '<h1 class="page-title">我的考評</h1>' in html
    assert "本月實時得分" in html
    assert "待簽收的過失通知單" in html


@pytest.mark.django_db
def test_a_services_error_message_comes_in_the_users_language(month: Scenario) -> None:
    # given 李四 (a supervisor, not the employee) tries to sign for 张三's notice in English
    notice = month.notice("e1")
    client = signed_in(month.world, "sup1", HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(f"/notices/{notice.pk}/acknowledge/")

    assert response.status_code == 403
    assert "Only the employee named on the notice can sign for it or dispute it." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_dates_and_money_follow_the_language(month: Scenario) -> None:
    english = signed_in(month.world, "emp1", HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    chinese = signed_in(month.world, "emp1").get("/").content.decode()

    assert "CNY 7.50" in english  # 1.5 points × 5 yuan
    assert "7.50 元" in chinese
    assert f"{month.today.year}年{month.today.month}月{month.today.day}日" in chinese
    assert f"{month.today:%m/%d/%Y}" in english
