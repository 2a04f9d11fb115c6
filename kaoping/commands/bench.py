"""kaoping bench engine|close|web: 基准测试 / benchmarks of the engine, the close and the pages."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys

from kaoping.scoring.bench import run_engine_bench
from kaoping.web.gunicorn import default_workers


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="kaoping bench",
        description="基准测试 / benchmarks (figures are printed, not asserted)",
    )
    sub = parser.add_subparsers(dest="target", required=True)
    engine = sub.add_parser(
        "engine", help="在内存中生成一个月的数据并计分 / score a generated month"
    )
    engine.add_argument("--subjects", type=_positive, default=100_000, help="员工数 / subjects")
    engine.add_argument(
        "--findings", type=_non_negative, default=2_000_000, help="违规数 / findings"
    )
    engine.add_argument(
        "--repeat", type=_positive, default=3, help="重复次数,取中位数 / runs (median)"
    )
    engine.add_argument(
        "--workers",
        type=_positive,
        default=os.cpu_count() or 1,
        help="进程数,默认为 CPU 核数 / worker processes (default: the number of cores)",
    )
    engine.add_argument("--seed", type=int, default=2026, help="随机种子 / random seed")
    close = sub.add_parser(
        "close", help="在数据库中生成一个月并关账 / write a month to the database and close it"
    )
    close.add_argument("--employees", type=_positive, default=100_000, help="员工数 / employees")
    close.add_argument(
        "--findings", type=_non_negative, default=2_000_000, help="违规数 / findings"
    )
    close.add_argument("--seed", type=int, default=2026, help="随机种子 / random seed")
    web = sub.add_parser(
        "web",
        help="用 gunicorn 服务演示数据,模拟各角色用户访问 / load-test the pages on the demo data",
    )
    web.add_argument("--users", type=_positive, default=20, help="并发用户数 / virtual users")
    web.add_argument("--duration", type=_positive, default=60, help="访问时长(秒)/ seconds of load")
    web.add_argument(
        "--pause", type=_seconds, default=1.0, help="每个用户两次请求之间的停顿(秒)/ think time"
    )
    web.add_argument(
        "--server-workers",
        type=_positive,
        default=default_workers(),
        help="gunicorn 进程数 / gunicorn worker processes (2 × cores + 1)",
    )
    web.add_argument("--port", type=_port, default=8765, help="端口 / port on 127.0.0.1")
    args = parser.parse_args(argv)
    if args.target == "close":
        return _close(args)
    if args.target == "web":
        from kaoping.web.benchserver import bench_web

        return bench_web(args)
    return _engine(args)


def _close(args: argparse.Namespace) -> int:
    # The close benchmark needs the database: Django is set up only for it.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kaoping.appraisals.bench import run_close_bench

    def progress(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    report = run_close_bench(
        employees=args.employees, findings=args.findings, seed=args.seed, progress=progress
    )
    print("kaoping bench close")
    print(
        f"  machine:   {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"  database:  {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"  data:      {report.employees} employees, {report.findings} findings, company {report.company_code}"
    )
    print(f"  results:   {report.results}")
    for phase, seconds in report.seconds.items():
        print(f"  {phase:<32} {seconds:8.2f} s")
    return 0


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是整数 / “{text}” is not a whole number"
        ) from None


def _positive(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError("应为正整数 / must be a positive integer")
    return value


def _non_negative(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError("应为非负整数 / must be zero or more")
    return value


def _port(text: str) -> int:
    value = _whole(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("端口应在 1–65535 之间 / a port is 1 to 65535")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是秒数 / “{text}” is not seconds") from None
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError("应为 0 或更多秒 / must be zero or more seconds")
    return value


def _engine(args: argparse.Namespace) -> int:
    def progress(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    figures = run_engine_bench(
        subjects=args.subjects,
        findings=args.findings,
        seed=args.seed,
        repeat=args.repeat,
        workers=args.workers,
        progress=progress,
    )
    median = statistics.median(figures.seconds)
    print("kaoping bench engine")
    print(
        f"  machine:   {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("  policy:    cs-group-inspection + cs-violation-penalties, period 2026-10")
    print(f"  data:      {figures.subjects} subjects, {figures.findings} findings")
    print(f"  workers:   {figures.workers}")
    runs = ", ".join(f"{s:.2f}" for s in figures.seconds)
    print(f"  runs (s):  {runs}")
    print(f"  median:    {median:.2f} s")
    print(f"  findings/s: {figures.findings / median:,.0f}")
    print(f"  subjects/s: {figures.subjects / median:,.0f}")
    return 0
