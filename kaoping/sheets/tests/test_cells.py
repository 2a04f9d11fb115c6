"""Reading one cell of a real-world sheet: dates in every form, full-width text, numbers, choices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kaoping.sheets import cells
from kaoping.sheets.cells import CellError

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCT_3 = dt.date(2026, 10, 3)


@pytest.mark.parametrize(
    "value",
    [
        "2026年10月3日",
        "2026/10/3",
        "2026-10-03",
        "2026.10.3",
        "２０２６．１０．３",
        "　2026年10月3号 ",
        "20261003",
        46298,
        46298.0,
        "46298",
        dt.datetime(2026, 10, 3),
        OCT_3,
    ],
)
def test_every_date_form_reads_as_the_day(value: object) -> None:
    assert cells.date(value) == OCT_3


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("3/10/2026", "无法识别的日期,请写成 2026-10-03 或 2026年10月3日"),
        ("26/10/3", "无法识别的日期,请写成 2026-10-03 或 2026年10月3日"),
        ("2026-02-30", "日期不存在"),
        (12, "无法识别的日期,请写成 2026-10-03 或 2026年10月3日"),
        ("下周一", "无法识别的日期,请写成 2026-10-03 或 2026年10月3日"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused_with_the_reason(
    value: object, reason: str
) -> None:
    with pytest.raises(CellError) as raised:
        cells.date(value)
    assert raised.value.reason == reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-03 14:30", dt.datetime(2026, 10, 3, 14, 30, tzinfo=SHANGHAI)),
        ("2026年10月3日 14时30分", dt.datetime(2026, 10, 3, 14, 30, tzinfo=SHANGHAI)),
        ("2026/10/3 14:30:15", dt.datetime(2026, 10, 3, 14, 30, 15, tzinfo=SHANGHAI)),
        ("２０２６－１０－０３　１４：３０", dt.datetime(2026, 10, 3, 14, 30, tzinfo=SHANGHAI)),
        (46298.6041666667, dt.datetime(2026, 10, 3, 14, 30, tzinfo=SHANGHAI)),
        (dt.datetime(2026, 10, 3, 14, 30), dt.datetime(2026, 10, 3, 14, 30, tzinfo=SHANGHAI)),
        ("2026-10-03", dt.datetime(2026, 10, 3, 0, 0, tzinfo=SHANGHAI)),
    ],
)
def test_times_are_local_and_aware(value: object, expected: dt.datetime) -> None:
    moment = cells.moment(value)

    assert moment == expected
    assert moment.tzinfo is not None


@pytest.mark.parametrize(
    "value", ["2026-10", "2026年10月", "2026/10", "202610", "2026-10-17", dt.date(2026, 10, 17)]
)
def test_months_read_as_their_first_day(value: object) -> None:
    assert cells.month(value) == dt.date(2026, 10, 1)


def test_tokens_lose_full_width_forms_and_padding_but_keep_latin_spaces() -> None:
    assert cells.token("ＧＺ００１") == "GZ001"
    assert cells.token("\u3000王\u3000五 ") == "王五"
    assert cells.token("John  Smith") == "John Smith"
    assert cells.token(13800138000.0) == "13800138000"
    assert cells.text("  接待台\u3000无人值守\u3000") == "接待台\u3000无人值守"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("１２．５", Decimal("12.5")),
        ("1,200.00", Decimal("1200.00")),
        ("4分", Decimal(4)),
        ("\u22123", Decimal(-3)),
        (0.1, Decimal("0.1")),
        (7, Decimal(7)),
    ],
)
def test_numbers(value: object, expected: Decimal) -> None:
    assert cells.decimal(value) == expected


def test_bad_numbers_and_fractions_where_a_count_is_wanted() -> None:
    with pytest.raises(CellError) as raised:
        cells.decimal("十二")
    assert raised.value.reason == "应为数字"
    with pytest.raises(CellError) as raised:
        cells.integer("2.5")
    assert raised.value.reason == "应为整数"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("是", True), ("Y", True), ("√", True), ("否", False), ("no", False), (0, False)],
)
def test_yes_and_no(value: object, expected: bool) -> None:
    assert cells.boolean(value) is expected


def test_choices_by_value_label_part_alias_or_traditional_characters() -> None:
    options = (("order", "秩序/车辆", ("治安",)), ("fee", "收费", ()))

    assert cells.choice("秩序/车辆", options) == "order"
    assert cells.choice("车辆", options) == "order"
    assert cells.choice("治安", options) == "order"
    assert cells.choice("ORDER", options) == "order"
    assert cells.choice("收費", options) == "fee"  # Traditional 費
    with pytest.raises(CellError) as raised:
        cells.choice("维修", options)
    assert raised.value.reason == "不是可选的值(可选:秩序/车辆、收费)"


def test_headers_match_whatever_the_width_script_remarks_or_marks() -> None:
    assert cells.header_key("員工編號(必填)*") == cells.header_key("员工编号")
    assert cells.header_key(" Employee_No. ") == cells.header_key("employee no")
    assert cells.header_key("投诉人/房号") == "投诉人房号"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("张三", "张三"),
        (-5, -5),
    ],
)
def test_formula_starts_are_neutralised(value: object, expected: object) -> None:
    assert cells.neutralise(value) == expected
