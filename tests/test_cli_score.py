"""`kaoping score CASE.json|-` end to end, as a user runs it (POLICIES.md §7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

# The example case of POLICIES.md §7, verbatim.
EXAMPLE_CASE: dict[str, Any] = {
    "policy": "cs-group-inspection",
    "period": "2026-10",
    "consequences": "cs-violation-penalties",
    "subjects": [
        {
            "id": "E001",
            "findings": [
                {
                    "section": "post_quality",
                    "severity": "serious",
                    "points": 4,
                    "item": "uniform",
                },
                {
                    "section": "service",
                    "severity": "general",
                    "points": 1,
                    "supervisor_liable": True,
                },
            ],
            "bonus": 5,
        }
    ],
}

# The example output of POLICIES.md §7, without `explain` (its lines are abbreviated there).
EXAMPLE_OUTPUT: dict[str, Any] = {
    "policy": "cs-group-inspection",
    "policy_version": 1,
    "period": "2026-10",
    "results": [
        {
            "id": "E001",
            "evaluated": True,
            "sections": {
                "post_quality": "16",
                "handover": "10",
                "training": "10",
                "efficiency": "20",
                "service": "19",
                "other_sop": "10",
                "other": "10",
            },
            "total": "100.0",
            "grade": None,
            "outcomes": {
                "penalty_points": "5",
                "fine": "43.50",
                "supervisor_fine": "1.50",
                "actions": ["publish", "supervisor_liability"],
            },
        }
    ],
}


def kaoping(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "kaoping", *args],
        input=stdin,
        env=environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def example_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cases") / "example.json"
    path.write_text(json.dumps(EXAMPLE_CASE, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example_run(example_file: Path) -> subprocess.CompletedProcess[str]:
    return kaoping("score", str(example_file))


# --- the §7 example ---------------------------------------------------------------------------


def test_example_case_exits_0_with_nothing_on_stderr(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    assert example_run.returncode == 0
    assert example_run.stderr == ""


def test_example_case_prints_the_contract_fields(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    output = json.loads(example_run.stdout)
    for result in output["results"]:
        result.pop("explain")

    assert output == EXAMPLE_OUTPUT


def test_example_case_prints_one_json_object_and_nothing_else(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    decoder = json.JSONDecoder()

    value, end = decoder.raw_decode(example_run.stdout)

    assert isinstance(value, dict)
    assert example_run.stdout[end:] == "\n"


def test_example_case_explains_in_a_list_of_lines(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    explain = json.loads(example_run.stdout)["results"][0]["explain"]

    assert isinstance(explain, list)
    assert explain and all(isinstance(line, str) and "\n" not in line for line in explain)
    assert explain[0].startswith("岗位工作质量 −4:严重违规(3–5分)")
    assert "嘉奖加分 +5" in explain


def test_dash_reads_the_case_from_stdin(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    result = kaoping("score", "-", stdin=json.dumps(EXAMPLE_CASE, ensure_ascii=False))

    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == example_run.stdout


def test_score_does_not_import_django(example_file: Path) -> None:
    probe = (
        "import contextlib, io, sys\n"
        "import kaoping.cli as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = cli.main(['score', sys.argv[1]])\n"
        "assert out.getvalue().startswith('{'), out.getvalue()\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}

    result = subprocess.run(
        [sys.executable, "-c", probe, str(example_file)],
        env=environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stderr == ""
    assert result.stdout == "0 []\n"


# --- bad input: exit 2, one line on stderr, nothing on stdout ----------------------------------


def _case(policy: str, *subjects: dict[str, Any], period: str = "2026-10") -> str:
    return json.dumps({"policy": policy, "period": period, "subjects": list(subjects)})


_ADMIN_ITEMS = {
    "dedication": 6,
    "communication": 10,
    "reception_complaints": 12,
    "fee_collection": 15,
    "repairs_followup": 10,
    "environment": 9,
    "facilities": 8,
    "public_order": 5,
    "meetings_training": 5,
    "compliance": 5,
    "assigned_tasks": 5,
}
_ADMIN_SUPERVISOR_WITHOUT_COMPLIANCE = {k: v for k, v in _ADMIN_ITEMS.items() if k != "compliance"}

BAD_CASES: list[tuple[str, str, str]] = [
    ("malformed JSON", '{"policy": ', "case: JSON 格式错误:第 1 行第 12 列:"),
    (
        "unknown policy",
        _case("no-such-policy", {"id": "E001"}),
        "case: policy: 未知的考评办法",
    ),
    (
        "unknown key in a subject",
        _case("cs-group-inspection", {"id": "E001", "colour": "red"}),
        "E001: colour: ",
    ),
    (
        "key the policy does not use",
        _case("cs-group-inspection", {"id": "E001", "survey": ["satisfied"]}),
        "E001: survey: ",
    ),
    (
        "unknown section",
        _case(
            "cs-group-inspection",
            {
                "id": "E001",
                "findings": [{"section": "canteen", "severity": "general", "points": 1}],
            },
        ),
        "E001: findings[0].section: ",
    ),
    (
        "unknown severity",
        _case(
            "cs-group-inspection",
            {
                "id": "E001",
                "findings": [{"section": "post_quality", "severity": "minor", "points": 1}],
            },
        ),
        "E001: findings[0].severity: ",
    ),
    (
        "points outside the severity's range",
        _case(
            "cs-group-inspection",
            {
                "id": "E001",
                "findings": [{"section": "post_quality", "severity": "serious", "points": 6}],
            },
        ),
        "E001: findings[0].points: ",
    ),
    (
        "unknown checklist item",
        _case(
            "cs-staff-monthly",
            {"id": "S001", "findings": [{"section": "appearance", "item": "hat"}]},
        ),
        "S001: findings[0].item: ",
    ),
    (
        "unknown event",
        _case("unit-satisfaction", {"id": "U01", "events": [{"type": "flood"}]}),
        "U01: events[0].type: ",
    ),
    (
        "unknown rater",
        _case(
            "cs-admin-monthly",
            {"id": "A001", "ratings": {"self": _ADMIN_ITEMS, "boss": _ADMIN_ITEMS}},
        ),
        "A001: ratings.boss: ",
    ),
    (
        "missing rating",
        _case(
            "cs-admin-monthly",
            {
                "id": "A001",
                "ratings": {
                    "self": _ADMIN_ITEMS,
                    "supervisor": _ADMIN_SUPERVISOR_WITHOUT_COMPLIANCE,
                },
            },
        ),
        "A001: ratings.supervisor.compliance: ",
    ),
    (
        "rating outside its bands",
        _case(
            "cs-admin-monthly",
            {
                "id": "A001",
                "ratings": {
                    "self": _ADMIN_ITEMS,
                    "supervisor": {**_ADMIN_ITEMS, "dedication": 0.5},
                },
            },
        ),
        "A001: ratings.supervisor.dedication: ",
    ),
    (
        "missing metric",
        _case("cs-center-monthly", {"id": "C01"}),
        "C01: metrics.fee_task_completion: ",
    ),
    (
        "unknown survey level",
        _case("unit-satisfaction", {"id": "U01", "survey": ["satisfied", "delighted"]}),
        "U01: survey[1]: ",
    ),
    (
        "duplicate subject id",
        _case("cs-group-inspection", {"id": "E001"}, {"id": "E001"}),
        "case: subjects[1].id: ",
    ),
    (
        "period of the wrong kind",
        _case("cs-group-inspection", {"id": "E001"}, period="2026-Q4"),
        "case: period: ",
    ),
    (
        "period not a period",
        _case("cs-group-inspection", {"id": "E001"}, period="2026/10"),
        "case: period: ",
    ),
]


def _assert_one_error_line(result: subprocess.CompletedProcess[str], prefix: str) -> None:
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.endswith("\n")
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(prefix), result.stderr
    assert len(result.stderr.strip()) > len(prefix), "the line must say what is wrong"


@pytest.mark.parametrize(
    ("text", "prefix"),
    [pytest.param(text, prefix, id=name) for name, text, prefix in BAD_CASES],
)
def test_bad_input_exits_2_with_one_located_line(tmp_path: Path, text: str, prefix: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")

    result = kaoping("score", str(path))

    _assert_one_error_line(result, prefix)


def test_bad_input_on_stdin_is_reported_the_same_way() -> None:
    result = kaoping("score", "-", stdin=_case("cs-center-monthly", {"id": "C01"}))

    _assert_one_error_line(result, "C01: metrics.fee_task_completion: ")


def test_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"

    result = kaoping("score", str(path))

    _assert_one_error_line(result, f"case: 无法读取 {path}")
