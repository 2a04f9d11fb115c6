"""kaoping close --period 2026-10 [--unit CODE]: preview-free close of a period, with progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaoping.appraisals.services.close import period_close
from kaoping.org.models import Company, OrgUnit
from kaoping.periods.models import Period


def company_from(code: str | None) -> Company:
    """The company named by --company, or the only one there is."""
    if code:
        company = Company.objects.filter(code=code).first()
        if company is None:
            raise CommandError(f"--company: 没有编码为 {code} 的公司 / no such company")
        return company
    companies = list(Company.objects.all()[:2])
    if len(companies) != 1:
        raise CommandError(
            "--company: 请指明公司编码 / name the company (there is not exactly one)"
        )
    return companies[0]


class Command(BaseCommand):
    help = "关账:冻结考评期间的结果 / close a period: freeze its results (safe to run again)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="如 2026-10 / e.g. 2026-10")
        parser.add_argument("--kind", default="month", choices=["month", "quarter", "half", "year"])
        parser.add_argument(
            "--unit", help="只关该单元及其下级 / only this unit's subtree (unit code)"
        )
        parser.add_argument("--company", help="公司编码 / company code")

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_from(options["company"])
        period = Period.objects.filter(
            company=company, kind=options["kind"], key=options["period"]
        ).first()
        if period is None:
            raise CommandError(f"--period: 没有考评期间 {options['period']} / no such period")
        unit = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(company=company, code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"--unit: 没有编码为 {options['unit']} 的单元 / no such unit")
        try:
            report = period_close(
                actor=None, period=period, unit=unit, progress=lambda m: self.stderr.write(f"… {m}")
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        if report.already_closed:
            self.stdout.write(f"{period.key} 已关账,未做任何更改 / already closed, nothing changed")
            return
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
        self.stdout.write(
            f"{period.key} 关账完成 / closed: {report.results} 个结果 results, "
            f"{report.outcome_items} 个处理事项 outcome items ({timings})"
        )
