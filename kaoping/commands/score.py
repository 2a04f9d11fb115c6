"""kaoping score CASE.json|-: 按考评办法计分并解释 / score a case and explain every result."""

from __future__ import annotations

import argparse
import json
import sys

from kaoping.scoring import ScoringError, parse_case_json, score_case

EXIT_BAD_INPUT = 2


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="kaoping score",
        description="按考评办法为一个案例计分,输出 JSON 结果与逐条解释 / Score a case (POLICIES.md §7).",
    )
    parser.add_argument("case", help="案例 JSON 文件,或 - 表示标准输入 / case file, or - for stdin")
    args = parser.parse_args(argv)
    try:
        if args.case == "-":
            text = sys.stdin.read()
        else:
            with open(args.case, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        print(f"case: 无法读取 {args.case}:{exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        print(f"case: {args.case} 不是 UTF-8 编码的文本", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        output = score_case(parse_case_json(text))
    except ScoringError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
