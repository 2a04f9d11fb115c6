"""kaoping demo: 用内置示例演示评分引擎 / score the built-in examples and print the results."""

from __future__ import annotations

import argparse

from kaoping.scoring import evaluate_case, parse_case_json
from kaoping.scoring.examples import example_texts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kaoping demo", description=__doc__)
    parser.add_argument("--explain", action="store_true", help="逐条解释 / print every explanation")
    args = parser.parse_args(argv)
    for policy_id, text in example_texts().items():
        policy, results = evaluate_case(parse_case_json(text))
        print(
            f"{policy.title}({policy.id}):kaoping score kaoping/scoring/examples/{policy_id}.json"
        )
        for result in results:
            data = result.as_json(policy.rounding)
            if not result.evaluated:
                print(f"  {result.id}: 不出具考评意见 / not evaluated")
            elif "total" in data:
                grade = f"  等级 {data['grade']}" if data["grade"] else ""
                print(f"  {result.id}: 总分 {data['total']}{grade}  {data['outcomes'] or ''}")
            else:
                print(f"  {result.id}: {data['outcomes']}")
            if args.explain:
                for line in result.explain:
                    print(f"      {line}")
    print()
    print("演示账号 / demo logins: 组织与账号数据尚未建立,目前只有评分引擎演示 /")
    print(
        "  none yet: the demo company with its logins arrives with the records; this is the engine demo"
    )
    return 0
