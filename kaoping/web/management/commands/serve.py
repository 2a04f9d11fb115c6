"""kaoping serve: the web application under gunicorn, as it runs in production.

kaoping serve [--bind 127.0.0.1:8000] [--workers N]

Refuses a database with migrations not yet applied (run `kaoping migrate` first: with several
app servers, one of them migrates, not each), collects the static files into STATIC_ROOT
(WhiteNoise serves them), then replaces itself with gunicorn, so that signals (Ctrl-C, a
supervisor's TERM) reach gunicorn directly. The settings are the command's: local by default,
`DJANGO_SETTINGS_MODULE=kaoping.config.settings.production` in production.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kaoping.cli import MIGRATE_FIRST
from kaoping.web.gunicorn import default_workers, gunicorn_command


def check_bind(bind: str) -> None:
    """Refuse an address gunicorn could not listen on, in the user's words, before starting it
    (a unix:PATH socket is left to gunicorn)."""
    if bind.startswith("unix:"):
        return
    host, _colon, port_text = bind.rpartition(":")
    host = host.strip("[]") or "0.0.0.0"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise CommandError(
            f"--bind: “{bind}”应为 地址:端口,端口在 1–65535 之间"
            f" / “{bind}” should be address:port with a port from 1 to 65535"
        )
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, int(port_text), type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror:
        raise CommandError(
            f"--bind: 无法解析地址 {host} / cannot resolve the address {host}"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise CommandError(
                f"--bind: 无法在 {bind} 上监听(端口已被占用或地址不属于本机)"
                f" / cannot listen on {bind}: {error.strerror or error}"
            ) from None


class Command(BaseCommand):
    help = "用 gunicorn 提供网页服务 / serve the web application with gunicorn"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="地址:端口 / address:port (127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="进程数 / worker processes (default: 2 × cores + 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers: 至少 1 个进程 / at least 1")
        check_bind(options["bind"])
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(MIGRATE_FIRST)
        connection.close()
        call_command("collectstatic", interactive=False, verbosity=0)
        command = gunicorn_command(options["bind"], options["workers"], "--access-logfile", "-")
        self.stdout.write(
            f"考评 Kaoping: http://{options['bind']}/ "
            f"(gunicorn, {options['workers']} 个进程 workers; Ctrl-C 停止 / to stop)"
        )
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.config.settings.local")
        os.execv(command[0], command)
