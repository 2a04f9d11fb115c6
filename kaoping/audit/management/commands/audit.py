"""kaoping audit verify [--company CODE]: walk the audit chains and report the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaoping.audit.services import audit_verify
from kaoping.org.models import Company


class Command(BaseCommand):
    help = "审计日志 / audit log: verify 校验哈希链 (exit 1 at the first broken link)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--company",
            metavar="CODE",
            help="只校验这家公司的审计链 / verify only this company's chain",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(count: int) -> None:
            self.stderr.write(f"… 已校验 {count} 条 / checked {count}")

        company_id = None
        if options["company"]:
            company = Company.objects.filter(code=options["company"]).first()
            if company is None:
                raise CommandError(
                    f"--company:没有编码为 {options['company']} 的公司 / no company with this code"
                )
            company_id = company.pk
        report = audit_verify(company_id=company_id, progress=progress)
        if not report.ok:
            where = f"事件 #{report.broken_id}" if report.broken_id is not None else "链尾"
            raise CommandError(
                f"审计链断裂 / audit chain broken at {where} ({report.chain or 'legacy'}): "
                f"{report.problem}"
                f"(此前 {report.checked} 条完好 / {report.checked} events verified before it)",
                returncode=1,
            )
        self.stdout.write(
            f"审计链完好 / audit chain intact: {report.checked} 条事件 events verified "
            f"({report.chains} 条链 chains)"
        )
