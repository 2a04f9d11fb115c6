"""The PO reader and writer behind scripts/i18n.sh: round trip, and what `fill` converts."""

from __future__ import annotations

from pathlib import Path

from kaoping.web.catalogues import fill, messages, read_po, tidy_header, write_po

PO = r"""# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\n"
"Language: \n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: web/views/notices.py
msgid "已签收过失通知单 {number}。"
msgstr ""

#: web/templates/web/home/_live.html
#, fuzzy
#| msgid "本月得分"
msgid "本月实时得分"
msgstr "本月得分"

#: web/templates/web/home/_notices.html
#, python-format
msgid "共 %(counter)s 份"
msgid_plural "共 %(counter)s 份"
msgstr[0] ""

#: org/models.py
msgctxt "unit"
msgid ""
"多行\n"
"说明"
msgstr "多行\n說明(人工)"
"""


def test_reading_and_writing_keeps_every_message(tmp_path: Path) -> None:
    path = tmp_path / "django.po"
    path.write_text(PO, encoding="utf-8")

    entries = read_po(path)
    write_po(path, entries)
    again = read_po(path)

    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr) for e in messages(again)] == [
        (None, "已签收过失通知单 {number}。", None, [""]),
        (None, "本月实时得分", None, ["本月得分"]),
        (None, "共 %(counter)s 份", "共 %(counter)s 份", [""]),
        ("unit", "多行\n说明", None, ["多行\n說明(人工)"]),
    ]
    assert [e.fuzzy for e in messages(again)] == [False, True, False, False]


def test_fill_converts_empty_and_fuzzy_entries_and_keeps_what_people_wrote(tmp_path: Path) -> None:
    path = tmp_path / "django.po"
    path.write_text(PO, encoding="utf-8")
    entries = read_po(path)

    filled = fill(entries, lambda text: f"<{text}>")

    assert filled == 3
    found = messages(entries)
    assert [e.msgstr for e in found] == [
        ["<已签收过失通知单 {number}。>"],
        ["<本月实时得分>"],
        ["<共 %(counter)s 份>"],
        ["多行\n說明(人工)"],
    ]
    assert not found[1].fuzzy
    assert "#| msgid" not in "".join(found[1].comments)
    assert found[2].comments == ["#: web/templates/web/home/_notices.html", "#, python-format"]


def test_the_header_is_completed(tmp_path: Path) -> None:
    path = tmp_path / "zh_Hant" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(PO, encoding="utf-8")
    entries = read_po(path)

    tidy_header(entries, "zh_Hant")
    write_po(path, entries)
    again = read_po(path)  # a second run changes nothing
    tidy_header(again, "zh_Hant")
    write_po(path, again)

    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Kaoping (考评) message catalogue; msgids are the zh-Hans text.\nmsgid"
    )
    assert text.count("message catalogue") == 1
    assert '"Language: zh_Hant\\n"' in text
    assert '"Project-Id-Version: kaoping\\n"' in text
    assert '#, fuzzy\nmsgid ""' not in text
