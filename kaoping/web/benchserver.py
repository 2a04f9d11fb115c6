"""`kaoping bench web`: the demo company served by gunicorn, loaded by virtual users.

Runs in the configured database: migrates it, builds the demo company when it is missing,
collects the static files into a temporary folder, starts gunicorn under the production
settings (a random key, plain HTTP on loopback), runs the load, prints the figures and stops
the server. Nothing is left running, whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench import WebBench, run_web_bench
from .gunicorn import gunicorn_command

P95_TARGET = 0.300  # seconds (issue 5)


def _say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _prepare() -> str:
    """Migrate, build the demo when missing; answer the database's description."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    _say("演示数据 demo data (built once)")
    call_command("demo", verbosity=0)
    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def _wait_until_up(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def bench_web(args: argparse.Namespace) -> int:
    database = _prepare()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="kaoping-bench-web-") as static_root:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kaoping.config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": static_root,
        }
        env.pop("DEBUG", None)
        _say("collectstatic")
        subprocess.run(
            [str(bin_dir / "kaoping"), "collectstatic", "--no-input", "-v0"], env=env, check=True
        )
        command = gunicorn_command(
            f"127.0.0.1:{args.port}", args.server_workers, "--log-level", "warning"
        )
        _say(f"gunicorn: {args.server_workers} workers on 127.0.0.1:{args.port}")
        server = subprocess.Popen(command, env=env)
        try:
            _wait_until_up(args.port, server)
            report = run_web_bench(
                host="127.0.0.1",
                port=args.port,
                users=args.users,
                duration=args.duration,
                pause=args.pause,
                progress=_say,
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    _print(report, args, database)
    return 0 if report.errors == 0 else 1


def _print(report: WebBench, args: argparse.Namespace, database: str) -> None:
    ms = 1000
    p95 = report.percentile(0.95)
    print("kaoping bench web")
    print(
        f"  machine:     {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"  database:    {database}")
    print(f"  server:      gunicorn, {args.server_workers} workers, production settings")
    print(f"  load:        {report.users} users, {args.pause:g} s pause, {report.seconds:.0f} s")
    print(f"  requests:    {len(report.samples)} ({report.errors} errors)")
    print(f"  throughput:  {report.throughput:.1f} requests/s")
    print(
        f"  latency:     p50 {report.percentile(0.50) * ms:.0f} ms, p95 {p95 * ms:.0f} ms, "
        f"p99 {report.percentile(0.99) * ms:.0f} ms "
        f"(target p95 ≤ {P95_TARGET * ms:.0f} ms: {'met' if p95 <= P95_TARGET else 'NOT met'})"
    )
    print("  per page (p95 ms, requests):")
    for page in report.pages():
        count = sum(1 for s in report.samples if s.page == page)
        print(f"    {page:<48} {report.percentile(0.95, page) * ms:6.0f}  {count}")
    if report.skipped_pages:
        print("  not in this build (404 at warm-up): " + ", ".join(report.skipped_pages))
