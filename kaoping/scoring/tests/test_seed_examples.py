"""Worked examples from the customer's own documents (../../../../shared/seeds/000–004).

Each test quotes the seed sentence it follows and uses the seed's own numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kaoping.scoring.tests.case_helpers import (
    ADMIN_FULL,
    GROUP_FULL_SECTIONS,
    STAFF_FULL_SECTIONS,
    case,
    events,
    finding,
    item,
    only_result,
    refused,
    results,
)

# --- seed 000: 項目客戶服務組檢查與考評辦法 (cs-group-inspection) ----------------------------------

SEED_000_RANGES = [
    # section, severity, low, high, max, score after low, score after high
    ("post_quality", "general", "1", "2", "20", "19", "18"),
    ("post_quality", "serious", "3", "5", "20", "17", "15"),
    ("post_quality", "consequence", "6", "20", "20", "14", "0"),
    ("handover", "general", "1", "2", "10", "9", "8"),
    ("handover", "serious", "2", "4", "10", "8", "6"),
    ("handover", "consequence", "5", "10", "10", "5", "0"),
    ("training", "general", "0.5", "1", "10", "9.5", "9"),
    ("training", "serious", "2", "3", "10", "8", "7"),
    ("training", "consequence", "4", "10", "10", "6", "0"),
    ("efficiency", "general", "1", "2", "20", "19", "18"),
    ("efficiency", "serious", "3", "5", "20", "17", "15"),
    ("efficiency", "consequence", "6", "20", "20", "14", "0"),
    ("service", "general", "1", "2", "20", "19", "18"),
    ("service", "serious", "3", "4", "20", "17", "16"),
    ("service", "consequence", "5", "20", "20", "15", "0"),
    ("other_sop", "general", "0.5", "1", "10", "9.5", "9"),
    ("other_sop", "serious", "2", "3", "10", "8", "7"),
    ("other_sop", "consequence", "4", "10", "10", "6", "0"),
    ("other", "general", "0.5", "1", "10", "9.5", "9"),
    ("other", "serious", "2", "3", "10", "8", "7"),
    ("other", "consequence", "4", "10", "10", "6", "0"),
]


@pytest.mark.parametrize(
    ("section", "severity", "low", "high", "maximum", "after_low", "after_high"), SEED_000_RANGES
)
def test_seed_000_both_ends_of_every_severity_range_are_accepted(
    section: str,
    severity: str,
    low: str,
    high: str,
    maximum: str,
    after_low: str,
    after_high: str,
) -> None:
    """4.3.1 每發現一次一般扣減該項1~2分,嚴重違規,每發現一次扣減該項3~5分,引起不良后果的視情況扣減6~20分
    (and 4.3.2–4.3.6 likewise for the other sections; "其他" completed by the policy)."""
    for points, expected in ((low, after_low), (high, after_high)):
        # given
        data = case(
            "cs-group-inspection", {"id": "R1", "findings": [finding(section, severity, points)]}
        )

        # when
        result = only_result(data)

        # then
        assert result["sections"][section] == expected


@pytest.mark.parametrize(
    ("section", "severity", "low", "high", "maximum", "after_low", "after_high"), SEED_000_RANGES
)
def test_seed_000_half_a_point_outside_every_severity_range_is_refused(
    section: str,
    severity: str,
    low: str,
    high: str,
    maximum: str,
    after_low: str,
    after_high: str,
) -> None:
    """4.3.1–4.3.6: the ranges are inclusive; a finding outside its severity's range is refused."""
    below = str(Decimal(low) - Decimal("0.5"))
    above = str(Decimal(high) + Decimal("0.5"))
    for points in (below, above):
        # given
        data = case(
            "cs-group-inspection", {"id": "R1", "findings": [finding(section, severity, points)]}
        )

        # when
        error = refused(data)

        # then
        assert (error.subject, error.field) == ("R1", "findings[0].points")
        assert f"扣分范围 {low}–{high} 分" in error.message


def test_seed_000_a_receptionists_month() -> None:
    """4.2.2 績效考評的檢查評分均按百分制進行 (20/10/10/20/20/10/10);
    4.3.8 "其他"欄目 … 如果未發生或未出現,該欄目考評時應當給出滿分10分;
    4.3.9 應視情節在正常考評完畢后在總分中追加1-20分(但總分不應超過100分)."""
    # given a serious violation at the low end (3), a general handover slip at the top (2), half
    # a point for training, a consequence on service (5), nothing under 其他, a commendation of 10
    data = case(
        "cs-group-inspection",
        {
            "id": "R1",
            "findings": [
                finding("post_quality", "serious", 3),
                finding("handover", "general", 2),
                finding("training", "general", "0.5"),
                finding("service", "consequence", 5),
            ],
            "bonus": 10,
        },
        {"id": "R2", "findings": [finding("handover", "general", 1)], "bonus": 20},
    )

    # when
    first, second = results(data)

    # then 100 − 10.5 + 10 = 99.5, and 99 + 20 stops at 100
    assert first["sections"] == {
        "post_quality": "17",
        "handover": "8",
        "training": "9.5",
        "efficiency": "20",
        "service": "15",
        "other_sop": "10",
        "other": "10",
    }
    assert first["total"] == "99.5"
    assert second["sections"] == {**GROUP_FULL_SECTIONS, "handover": "9"}
    assert second["total"] == "100.0"


def test_seed_000_a_mandatory_penalty_takes_the_whole_section() -> None:
    """4.3.10 已觸犯《行政獎罰標準操作規程》所列出的必須加以懲處的情形,則除在考評檢查表對應欄目內扣完相應分值外,
    另依據《行政獎罰標準操作規程》對受考人進行處罰."""
    # given
    data = case(
        "cs-group-inspection",
        {
            "id": "R1",
            "findings": [finding("efficiency", "consequence", 6, mandatory_penalty=True)],
        },
    )

    # when
    result = only_result(data)

    # then
    assert result["sections"] == {**GROUP_FULL_SECTIONS, "efficiency": "0"}
    assert result["total"] == "80.0"


# --- seed 001: 物業客戶服務部績效考核 (cs-admin-monthly, cs-staff-monthly, cs-center-monthly) -------


def test_seed_001_administrator_form_weights_adjustment_and_one_decimal() -> None:
    """管理员月度绩效考核表: 实评 自评分×30%+直接上级评分×70%+奖扣分=分;
    1、爱岗敬业 … 合格 5-6分 部分合格 1-5分(不含5分) 单项最高分 6; 合计 90;
    说明 2、考核评分保留一位小数."""
    # given self rates 爱岗敬业 5.5 (合格), the supervisor 4 (部分合格), all else at the maximum,
    # and the appraiser gives +2 奖扣分
    data = case(
        "cs-admin-monthly",
        {
            "id": "A1",
            "ratings": {
                "self": {**ADMIN_FULL, "dedication": "5.5"},
                "supervisor": {**ADMIN_FULL, "dedication": 4},
            },
            "adjustment": 2,
        },
    )

    # when
    result = only_result(data)

    # then 5.5 × 30% + 4 × 70% = 4.45; 84 + 4.45 + 2 = 90.45 → 90.5
    assert result["sections"] == {
        **{k: str(v) for k, v in ADMIN_FULL.items()},
        "dedication": "4.45",
    }
    assert result["total"] == "90.5"
    assert result["grade"] is None


def test_seed_001_administrator_partial_band_excludes_its_upper_bound() -> None:
    """2、沟通协调 … 9-10分 / 3-9分(不含9分) 10: 8.5 is 部分合格, 2.5 fits no band."""
    # given
    ratings = {"self": {**ADMIN_FULL, "communication": "2.5"}, "supervisor": ADMIN_FULL}
    data = case("cs-admin-monthly", {"id": "A1", "ratings": ratings})

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("A1", "ratings.self.communication")
    assert "不在任何档次内" in error.message


def test_seed_001_staff_form_pay_bands() -> None:
    """物业客服员绩效考核表 备注: 1、当月总得分≥95分绩效工资全额发放; 2、90分≤当月总得分<95分,
    绩效工资发放50%; 3、当月总得分<90分,扣除当月绩效工资; 4、当月总得分<80分,由人力资源部给予调岗或开除;
    档案管理: 当月发生3起以上,该分值全扣; 费用收缴: 催缴力度不够,导致费用收缴低于95%,一次扣10分."""
    # given four employees of one month
    data = case(
        "cs-staff-monthly",
        # 着工装 … 不按规定着装一次扣5分
        {"id": "S1", "findings": [item("appearance", "uniform")]},
        # 微笑服务 … 违反一次扣5分; 佩戴工牌 … 一次未佩戴扣2分
        {"id": "S2", "findings": [item("etiquette", "courtesy"), item("appearance", "badge")]},
        # 业主资料不完整 three times; collection rate 90%
        {
            "id": "S3",
            "findings": [item("records", "owner_file_incomplete")] * 3,
            "metrics": {"fee_collection_rate": "0.9"},
        },
        # the same, and 与客户发生争吵、打骂,发生一次扣10分
        {
            "id": "S4",
            "findings": [item("records", "owner_file_incomplete")] * 3
            + [item("etiquette", "quarrel")],
            "metrics": {"fee_collection_rate": "0.9"},
        },
    )

    # when
    found = results(data)

    # then
    assert [(r["id"], r["total"], r["outcomes"]) for r in found] == [
        ("S1", "95.0", {"pay_ratio": "1"}),
        ("S2", "93.0", {"pay_ratio": "0.5"}),
        ("S3", "80.0", {"pay_ratio": "0"}),
        ("S4", "70.0", {"pay_ratio": "0", "actions": ["reassign_or_dismiss"]}),
    ]
    assert found[3]["sections"] == {
        **STAFF_FULL_SECTIONS,
        "etiquette": "0",
        "fee_collection": "0",
        "records": "0",
    }


def test_seed_001_the_managers_sign_off_stands() -> None:
    """物业客服员/管家年月绩效考核表: 直接上级 / 间接上级 / 物业经理 sign in turn."""
    # given 仪容仪表 computed 5 (uniform), the supervisor signs 5, the manager amends to 7
    data = case(
        "cs-staff-monthly",
        {
            "id": "S1",
            "findings": [item("appearance", "uniform")],
            "ratings": {"supervisor": {"appearance": 5}, "manager": {"appearance": 7}},
        },
    )

    # when
    result = only_result(data)

    # then
    assert result["sections"]["appearance"] == "7"
    assert result["total"] == "97.0"
    assert result["outcomes"] == {"pay_ratio": "1"}


def test_seed_001_customer_service_centre() -> None:
    """员工绩效考核办法 一)客户服务中心: 1)物业理费收取,标准分40分。完成月度收费任务且无业主投诉记满分,
    未完成任务按完成任务比例计分。2)小区(大厦)清洁卫生,标准分20分。无业主投诉记满分,每有一次投诉扣5分,
    未按基本要求做事发生一次扣1-2分,两项扣分直至标准分扣完为止。3)… 如发生盗窃事故或业主投诉一次扣5分 …
    4)服务过程规范,标准分10分 … 业主投诉一次扣5分 … 违反一次扣1-2分。5)内控制度执行,标准分10分 …"""
    # given 85% of the month's fee task, 3 cleaning complaints and two 2-point slips, one theft,
    # 2 process complaints and a 1-point slip, one 1.5-point internal-control slip
    data = case(
        "cs-center-monthly",
        {
            "id": "C1",
            "metrics": {"fee_task_completion": "0.85"},
            "events": events(
                "cleaning_complaint",
                "cleaning_complaint",
                "cleaning_complaint",
                "theft",
                "process_complaint",
                "process_complaint",
            ),
            "findings": [
                finding("cleaning", points=2),
                finding("cleaning", points=2),
                finding("process", points=1),
                finding("internal_control", points="1.5"),
            ],
        },
    )

    # when
    result = only_result(data)

    # then 34 + (20 − 19) + 15 + 0 (10 − 11, 扣完为止) + 8.5
    assert result["sections"] == {
        "fee_collection": "34",
        "cleaning": "1",
        "order": "15",
        "process": "0",
        "internal_control": "8.5",
    }
    assert result["total"] == "58.5"


# --- seed 002: 管理處客戶服務質量考核辦法 4.2 處罰 (cs-violation-penalties) ---------------------------


def test_seed_002_penalty_bands_publication_and_liability() -> None:
    """4.2.1 違規責任人每被扣1分,罰款人民幣伍圓; 4.2.2 每月累計扣分達5~10分,加罰人民幣貳拾圓;
    4.2.3 每月累計扣分達11~15分 … 另對其做出行政警告、行政罰款、行政記過等行政處分;
    4.2.4 每月累計扣分達20分以上,作開除處理; 4.2.5 凡扣分達5分(含5分)以上或同一問題發生三次(含三次)以上,
    對其違規情況實施公布張貼; 4.2.6 按70/30原則進行處理,即責任人處罰70%,直屬上司處罰30%;
    4.2.7 一個月內同一問題發生三次(含三次)以上,追究其直屬上司連帶責任."""
    # given one month of 過失通知單 for four employees
    data = case(
        "cs-violation-penalties",
        # "未回复业主" three times (2 each) and 1 point for 着装: 7 points
        {
            "id": "E1",
            "findings": [{"points": 2, "item": "no_reply"}] * 3 + [{"points": 1, "item": "dress"}],
        },
        {"id": "E2", "findings": [{"points": 6}, {"points": 6}]},
        {"id": "E3", "findings": [{"points": 10}, {"points": 10}]},
        {"id": "E4", "findings": [{"points": 4, "supervisor_liable": True}]},
    )

    # when
    found = results(data)

    # then
    assert [(r["id"], r["outcomes"]) for r in found] == [
        # 35 + 20; the repeated problem's 30 is shared 70/30 (9.00 to the supervisor)
        (
            "E1",
            {
                "penalty_points": "7",
                "fine": "46.00",
                "supervisor_fine": "9.00",
                "actions": ["publish", "supervisor_liability"],
            },
        ),
        # 12 points: 60, administrative sanction, no surcharge
        (
            "E2",
            {
                "penalty_points": "12",
                "fine": "60.00",
                "supervisor_fine": "0.00",
                "actions": ["publish", "administrative_sanction"],
            },
        ),
        # 20 points: dismissal
        (
            "E3",
            {
                "penalty_points": "20",
                "fine": "100.00",
                "supervisor_fine": "0.00",
                "actions": ["publish", "dismissal"],
            },
        ),
        # 4 points, supervisor's responsibility confirmed: 20 × 70% = 14.00, 6.00 to the supervisor
        (
            "E4",
            {
                "penalty_points": "4",
                "fine": "14.00",
                "supervisor_fine": "6.00",
                "actions": ["supervisor_liability"],
            },
        ),
    ]


# --- seed 003: 客户服务部绩效考核管理方案 (service-group-ranking) -----------------------------------

# The seed's month: three items of level 1, two of level 2, one of level 3, one of level 4.
SEED_003_ITEMS: list[dict[str, Any]] = [
    {"id": "board_dispatch", "level": 1},
    {"id": "customer_visits", "level": 1},
    {"id": "repair_turnaround_hours", "level": 1, "better": "lower"},
    {"id": "trainees", "level": 2},
    {"id": "repairs", "level": 2},
    {"id": "repair_records", "level": 3},
    {"id": "satisfaction", "level": 4},
]


def seed_003_month(places: dict[str, list[int]], **extra: Any) -> dict[str, Any]:
    """Eight teams T1–T8; `places[item]` lists each team's place (1 = best) on that item."""
    teams = []
    for index in range(8):
        values = {}
        for spec in SEED_003_ITEMS:
            place = places.get(spec["id"], list(range(1, 9)))[index]
            # a value that ranks as `place`: larger is better unless the item says lower
            values[spec["id"]] = place if spec.get("better") == "lower" else 100 - place
        teams.append({"id": f"T{index + 1}", "values": values})
    return case("service-group-ranking", *teams, ranking_items=SEED_003_ITEMS, **extra)


def test_seed_003_points_per_place_and_level() -> None:
    """1.2 其中有三项评分级为1分(即第一名得8分、第二名得7分、第八名得1分),有二项评分级别为2分(即第一名得16分、
    第二名得14分、第八名得2分),有一项评分级别为3分(即第一名得24分、第二名得21分、第八名得3分),
    有一项评分级别为,4分(即第一名得32分、第二名得28分、第八名得4分)."""
    # given teams T1…T8 in that order on every item
    data = seed_003_month({})

    # when
    found = results(data)

    # then
    first, second, eighth = found[0]["sections"], found[1]["sections"], found[7]["sections"]
    assert (first["board_dispatch"], second["board_dispatch"], eighth["board_dispatch"]) == (
        "8",
        "7",
        "1",
    )
    assert (first["repair_turnaround_hours"], eighth["repair_turnaround_hours"]) == ("8", "1")
    assert (first["trainees"], second["trainees"], eighth["trainees"]) == ("16", "14", "2")
    assert (first["repair_records"], second["repair_records"], eighth["repair_records"]) == (
        "24",
        "21",
        "3",
    )
    assert (first["satisfaction"], second["satisfaction"], eighth["satisfaction"]) == (
        "32",
        "28",
        "4",
    )
    # best possible 3 × 8 + 2 × 16 + 24 + 32 = 112
    assert [r["total"] for r in found] == [
        "112.0",
        "98.0",
        "84.0",
        "70.0",
        "56.0",
        "42.0",
        "28.0",
        "14.0",
    ]


def test_seed_003_team_grades_best_second_worst() -> None:
    """1.4 a、当月被评为最佳服务小组的,绩效评比为"a"级; b、当月评比总得分≥92分的服务小组,绩效评比为"a"级;
    c、当月评比总得分排名第二名的服务小组,绩效评比为"b"组; d、当月评比总得分<35分的最差服务小组,
    绩效评比为"d"级或"e级"; e、当月评比总得分≥35分的服务小组,绩效评比为"c"级."""
    # given T2 is second on the level-1 and level-2 items and third on level 3, but only fourth
    # on the level-4 item, where T3 is second
    data = seed_003_month(
        {
            "repair_records": [1, 2, 3, 4, 5, 6, 7, 8],
            "satisfaction": [1, 4, 2, 3, 5, 6, 7, 8],
        }
    )

    # when
    found = results(data)

    # then T2: 49 + 21 + 20 = 90 (second, below 92 → B); T7 28 is below 35 but not the worst
    assert [(r["id"], r["total"], r["grade"]) for r in found] == [
        ("T1", "112.0", "A"),
        ("T2", "90.0", "B"),
        ("T3", "88.0", "C"),
        ("T4", "74.0", "C"),
        ("T5", "56.0", "C"),
        ("T6", "42.0", "C"),
        ("T7", "28.0", "C"),
        ("T8", "14.0", "D"),
    ]


def test_seed_003_a_second_team_at_92_or_more_is_a() -> None:
    """1.4 b、当月评比总得分≥92分的服务小组,绩效评比为"a"级 (tried before "second → b")."""
    # given the strict order T1…T8: T2 totals 98
    data = seed_003_month({})

    # when
    found = results(data)

    # then
    assert [r["grade"] for r in found] == ["A", "A", "C", "C", "C", "C", "C", "D"]


def test_seed_003_teams_tied_for_best_are_all_a_and_no_team_is_b() -> None:
    """1.4 a 当月被评为最佳服务小组的 … "a"级: two teams share first place on every item."""
    # given T1 and T2 tie everywhere
    tied = [1, 1, 3, 4, 5, 6, 7, 8]
    data = seed_003_month({spec["id"]: tied for spec in SEED_003_ITEMS})

    # when
    found = results(data)

    # then T3 is third by total, not second
    assert [(r["id"], r["total"], r["grade"]) for r in found[:3]] == [
        ("T1", "112.0", "A"),
        ("T2", "112.0", "A"),
        ("T3", "84.0", "C"),
    ]
    assert "B" not in [r["grade"] for r in found]


def test_seed_003_a_worst_team_at_35_or_more_is_c() -> None:
    """1.4 e、当月评比总得分≥35分的服务小组,绩效评比为"c"级."""
    # given T5–T8 tie for fifth on every item: 4 × 14 = 56 each, the lowest total
    places = [1, 2, 3, 4, 5, 5, 5, 5]
    data = seed_003_month({spec["id"]: places for spec in SEED_003_ITEMS})

    # when
    found = results(data)

    # then
    assert [(r["total"], r["grade"]) for r in found[4:]] == [("56.0", "C")] * 4


def seed_003_with_members(team: int, members: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The month of `test_seed_003_team_grades_best_second_worst` (T1 A, T2 B, T3 C, T8 D)."""
    data = seed_003_month(
        {
            "repair_records": [1, 2, 3, 4, 5, 6, 7, 8],
            "satisfaction": [1, 4, 2, 3, 5, 6, 7, 8],
        },
        **extra,
    )
    data["subjects"][team - 1]["members"] = members
    return data


@pytest.mark.parametrize(
    ("team", "team_grade", "allowed"),
    [(1, "A", "ABC"), (2, "B", "ABC"), (3, "C", "BCD"), (8, "D", "CDE")],
)
def test_seed_003_member_grades_within_the_teams_set(
    team: int, team_grade: str, allowed: str
) -> None:
    """1.5 a、所在的服务小组的当月绩效被评为"a"的 … 给予评为"a"、"b"、"c"三种绩效; b、… "b"的 … "a"、"b"、"c";
    c、… "d"的 … "c"、"d"、"e"; d、… "c"的 … "b"、"c"、"d"."""
    # given one member per allowed grade
    members = [{"id": f"M{g}", "grade": g} for g in allowed]
    data = seed_003_with_members(team, members)

    # when
    result = results(data)[team - 1]

    # then
    assert result["grade"] == team_grade
    assert result["outcomes"] == {
        "members": [{"id": f"M{g}", "grade": g, "actions": []} for g in allowed]
    }


@pytest.mark.parametrize(
    ("team", "kept_grade", "refused_grade", "allowed_text"),
    [
        (1, "C", "D", "A, B, C"),
        (2, "A", "E", "A, B, C"),
        (3, "D", "A", "B, C, D"),
        (8, "E", "B", "C, D, E"),
    ],
)
def test_seed_003_a_member_grade_outside_the_teams_set_is_refused(
    team: int, kept_grade: str, refused_grade: str, allowed_text: str
) -> None:
    """1.5: the supervisor picks within the team grade's set only."""
    # given a member graded inside the set and one outside it
    members = [{"id": "M1", "grade": kept_grade}, {"id": "M2", "grade": refused_grade}]
    data = seed_003_with_members(team, members)

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == (f"T{team}", "members[1].grade")
    assert f"成员等级只能是 {allowed_text}" in error.message


def test_seed_003_one_penalty_event_keeps_the_members_grade() -> None:
    """二、2、在日常的服务过程中,工作散漫,不能提供及时服务的,一次扣除当月工作积分20分."""
    # given
    data = seed_003_with_members(
        1, [{"id": "M1", "grade": "A", "work_points": 300, "events": events("slack_service")}]
    )

    # when
    result = results(data)[0]

    # then
    assert result["outcomes"] == {"members": [{"id": "M1", "grade": "A", "actions": []}]}


def test_seed_003_two_penalty_events_zero_the_month_with_a_serious_warning() -> None:
    """二、6、一个月内,有两次及以上扣分处罚的,当月的绩效分为0,并以严重警告一次."""
    # given 对客户态度生硬 … 被投诉 (−50) and 与客户发生争吵 (−50) in one month
    data = seed_003_with_members(
        1,
        [
            {
                "id": "M1",
                "grade": "A",
                "work_points": 300,
                "events": events("attitude_complaint", "customer_quarrel"),
            },
            {"id": "M2", "grade": "B"},
        ],
    )

    # when
    result = results(data)[0]

    # then
    assert result["outcomes"] == {
        "members": [
            {"id": "M1", "grade": "E", "actions": ["serious_warning"]},
            {"id": "M2", "grade": "B", "actions": []},
        ]
    }


@pytest.mark.parametrize(
    ("period", "history", "actions"),
    [
        ("2026-10", [{"period": "2026-09", "total": 0}], ["serious_warning", "probation"]),
        ("2026-01", [{"period": "2025-12", "total": 0}], ["serious_warning", "probation"]),
        ("2026-10", [{"period": "2026-09", "total": 60}], ["serious_warning"]),
        ("2026-10", [{"period": "2026-08", "total": 0}], ["serious_warning"]),
        ("2026-10", [], ["serious_warning"]),
    ],
)
def test_seed_003_two_months_at_zero_put_the_member_on_probation(
    period: str, history: list[dict[str, Any]], actions: list[str]
) -> None:
    """二、7、连续二个月绩效分为0的,该职员改为试用工作期三个月,合格后给予以转正处理."""
    # given two penalty events this month (培训课程准备不充分 −20, 培训中对学员态度生硬 −50)
    data = seed_003_with_members(
        3,
        [{"id": "M1", "events": events("training_unprepared", "trainee_complaint")}],
        history={"M1": history},
    )
    data["period"] = period

    # when
    result = results(data)[2]

    # then
    assert result["outcomes"] == {"members": [{"id": "M1", "grade": "E", "actions": actions}]}


def test_seed_003_an_unknown_penalty_event_is_refused() -> None:
    """二、1–5 list the penalty events; any other is an error."""
    # given
    data = seed_003_with_members(1, [{"id": "M1", "events": events("late_lunch")}])

    # when
    error = refused(data)

    # then
    assert (error.subject, error.field) == ("T1", "members[0].events[0].type")
    assert "未知的扣分事件 'late_lunch'" in error.message


# --- seed 004: 客户满意度工作考评管理办法 (unit-satisfaction) ----------------------------------------


def seed_004_unit(sid: str = "U1", **subject: Any) -> dict[str, Any]:
    """One month of a 科室: 3 issues found, one 基本满意 survey, one valid complaint → 87."""
    return {
        "id": sid,
        "findings": [finding("standards")] * 3,
        "survey": ["satisfied"],
        "events": events("valid_complaint"),
        **subject,
    }


def test_seed_004_a_units_month() -> None:
    """五、服务工作标准执行情况占比50%,客户满意度调查占比20%,服务投诉占比30%;
    六、2、检查未发现问题可得满分50分,每发现一项问题扣1分; 3、很满意(20分)、基本满意(16分)、一般(12分)、
    不太满意(8分)、很不满意(4分); 4、每发生一起有效服务投诉 … 扣6分,一起重大服务投诉 … 扣12分;
    1、得分在95分以上(包括95分)为优秀,得分在90分以上(包括90分)为合格,得分低于90分为不合格."""
    # given
    data = case(
        "unit-satisfaction",
        seed_004_unit(),
        {"id": "U2", "findings": [finding("standards")] * 2, "survey": ["very_satisfied"]},
        {"id": "U3", "events": events("major_complaint")},
    )

    # when
    found = results(data)

    # then
    assert [(r["id"], r["sections"], r["total"], r["grade"]) for r in found] == [
        ("U1", {"standards": "47", "survey": "16", "complaints": "24"}, "87.0", "fail"),
        ("U2", {"standards": "48", "survey": "20", "complaints": "30"}, "98.0", "excellent"),
        ("U3", {"standards": "50", "survey": "20", "complaints": "18"}, "88.0", "fail"),
    ]


def test_seed_004_no_inspection_and_no_complaint_gets_no_opinion() -> None:
    """六、5、对当月未进行检查和发生服务投诉的单位,服务管理科不出具考评意见."""
    # given
    data = case(
        "unit-satisfaction",
        {"id": "U1", "inspections": 0},
        {"id": "U2", "inspections": 0, "events": events("valid_complaint")},
    )

    # when
    first, second = results(data)

    # then
    assert first == {"id": "U1", "evaluated": False, "explain": first["explain"]}
    assert (second["evaluated"], second["total"], second["grade"]) == (True, "94.0", "pass")


@pytest.mark.parametrize(
    ("history", "outcomes"),
    [
        ([{"period": "2026-03", "grade": "fail", "total": 80}], {"actions": ["no_annual_award"]}),
        ([{"period": "2026-02", "total": "89.5"}], {"actions": ["no_annual_award"]}),
        ([{"period": "2025-11", "grade": "fail", "total": 80}], {}),
        ([{"period": "2026-03", "grade": "pass", "total": 85}], {}),
        ([{"period": "2026-11", "grade": "fail", "total": 80}], {}),
        ([{"period": "2026-05", "grade": "excellent", "total": 97}], {}),
    ],
)
def test_seed_004_a_second_fail_in_the_calendar_year_loses_the_annual_award(
    history: list[dict[str, Any]], outcomes: dict[str, Any]
) -> None:
    """六、6、累计两次测评得分低于90分的单位取消年终评先资格 (within one calendar year; an earlier
    result is read by its grade, else by its total; a later month does not count)."""
    # given this month fails (87)
    data = case("unit-satisfaction", seed_004_unit(), history={"U1": history})

    # when
    result = only_result(data)

    # then
    assert result["grade"] == "fail"
    assert result["outcomes"] == outcomes


def test_seed_004_a_passing_month_never_loses_the_award() -> None:
    """六、6: only a result below 90 can be the second one."""
    # given two earlier fails this year, and a pass this month
    history = [
        {"period": "2026-02", "grade": "fail", "total": 80},
        {"period": "2026-04", "grade": "fail", "total": 85},
    ]
    data = case("unit-satisfaction", {"id": "U1"}, history={"U1": history})

    # when
    result = only_result(data)

    # then
    assert (result["grade"], result["outcomes"]) == ("excellent", {})
