"""kaoping policy list|show|lint|simulate: 考评办法的列表、表格、检查与模拟测算 / list, show, lint and simulate policies.

`list`, `show` and `lint` need no database (nor Django); `simulate` replays a closed period of the
configured database under a policy's draft, as `kaoping simulate` does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kaoping.scoring import PolicyError, builtin_policies, builtin_policy, load_policy_file
from kaoping.scoring.lint import lint_policy
from kaoping.scoring.policy import Policy
from kaoping.scoring.show import render_policy, render_table

_PERIODS = {"month": "月度", "quarter": "季度", "half": "半年度", "year": "年度"}
_SUBJECTS = {"employee": "员工", "unit": "单位", "team": "小组"}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kaoping policy", description="考评办法 / policies")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="列出内置考评办法 / list the built-in policies")
    show = sub.add_parser("show", help="以考核表形式显示 / show a policy as a table")
    show.add_argument("policy", help="办法 id 或 YAML 文件 / policy id or YAML file")
    lint = sub.add_parser("lint", help="检查办法 / lint a policy (exit 1 on errors)")
    lint.add_argument("policy", help="办法 id 或 YAML 文件 / policy id or YAML file")
    lint.add_argument("--quiet", action="store_true", help="不显示提示 (info) / hide info lines")
    sub.add_parser(
        "simulate",
        help="用草稿重算已关账期间 / replay a closed period under a draft "
        "(kaoping policy simulate POLICY PERIOD [--company CODE] [--number N])",
        add_help=False,
    )
    if argv[:1] == ["simulate"]:
        from kaoping.cli import run_django

        return run_django(["simulate", *argv[1:]])
    args = parser.parse_args(argv)
    if args.action == "list":
        return _list()
    try:
        policy = _load(args.policy)
    except PolicyError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 1
    if policy is None:
        known = ", ".join(builtin_policies())
        print(f"policy: 未知的考评办法 '{args.policy}'(内置:{known})", file=sys.stderr)
        return 2
    if args.action == "show":
        sys.stdout.write(render_policy(policy))
        return 0
    return _lint(policy, quiet=args.quiet)


def _load(name: str) -> Policy | None:
    path = Path(name)
    if name.endswith((".yaml", ".yml")) or path.is_file():
        return load_policy_file(path)
    return builtin_policy(name)


def _list() -> int:
    rows = [["id", "版本", "对象", "周期", "名称"]]
    for policy in builtin_policies().values():
        rows.append(
            [
                policy.id,
                str(policy.version),
                _SUBJECTS[policy.subject],
                _PERIODS[policy.period],
                policy.title,
            ]
        )
    print("\n".join(render_table(rows)))
    return 0


def _lint(policy: Policy, *, quiet: bool) -> int:
    issues = lint_policy(policy)
    errors = sum(1 for i in issues if i.level == "error")
    warnings = sum(1 for i in issues if i.level == "warning")
    for issue in issues:
        if quiet and issue.level == "info":
            continue
        print(f"{policy.source_file}: {issue.render()}")
    print(f"{policy.id}: {errors} 个错误 errors, {warnings} 个警告 warnings")
    return 1 if errors else 0
