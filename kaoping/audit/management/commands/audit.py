"""kaoping audit verify: walk the audit chain and report the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaoping.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志 / audit log: verify 校验哈希链 (exit 1 at the first broken link)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(count: int) -> None:
            self.stderr.write(f"… 已校验 {count} 条 / checked {count}")

        report = audit_verify(progress=progress)
        if not report.ok:
            where = f"事件 #{report.broken_id}" if report.broken_id is not None else "链尾"
            raise CommandError(
                f"审计链断裂 / audit chain broken at {where}: {report.problem}"
                f"(此前 {report.checked} 条完好 / {report.checked} events verified before it)",
                returncode=1,
            )
        self.stdout.write(
            f"审计链完好 / audit chain intact: {report.checked} 条事件 events verified"
        )
