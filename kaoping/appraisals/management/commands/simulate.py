"""kaoping simulate POLICY PERIOD: replay a closed period under a policy's draft (模拟测算).

kaoping simulate cs-group-inspection 2026-10 [--company GZ] [--number N]

Scores the closed period's subjects whose current result used the policy with its draft (or --number N)
and prints, per subject, the frozen and the simulated total, grade, pay ratio and fine, and the
summary: how many change grade, the total pay difference. Nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kaoping.appraisals.management.commands.close import company_from
from kaoping.appraisals.simulate import policy_simulate
from kaoping.org.access import SYSTEM
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyDocument, PolicyVersion


def _field_messages(error: ValidationError) -> str:
    """The refusal as "field: 中文 / English", message by message."""
    fields = error.error_dict if hasattr(error, "error_dict") else {"": error.error_list}
    lines = []
    for name, errors in fields.items():
        for item in errors:
            chinese = ValidationError(item).messages[0]
            with translation.override("en"):
                english = ValidationError(item).messages[0]
            text = chinese if english == chinese else f"{chinese} / {english}"
            lines.append(f"{name}: {text}" if name else text)
    return "; ".join(lines)


def _text(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


class Command(BaseCommand):
    help = (
        "模拟测算 / simulate a policy's draft against a closed period: whose grade and pay change"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("policy", help="办法编号 / policy id, e.g. cs-group-inspection")
        parser.add_argument("period", help="已关账期间 / a closed period, e.g. 2026-10")
        parser.add_argument("--company")
        parser.add_argument(
            "--number", type=int, help="版本号 / version number (default: the draft)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_from(options["company"])
        document = PolicyDocument.objects.filter(company=company, code=options["policy"]).first()
        if document is None:
            raise CommandError(f"policy: 没有考评办法 {options['policy']} / no such policy")
        period = Period.objects.filter(company=company, key=options["period"]).first()
        if period is None:
            raise CommandError(f"period: 没有考评期间 {options['period']} / no such period")
        versions = document.versions.select_related("document")
        if options["number"] is not None:
            version = versions.filter(number=options["number"]).first()
            if version is None:
                raise CommandError(
                    f"--number: {document.code} 没有第 {options['number']} 版"
                    f" / {document.code} has no version {options['number']}"
                )
        else:
            version = versions.filter(status=PolicyVersion.Status.DRAFT).first()
            if version is None:
                raise CommandError(
                    f"--number: {document.code} 没有草稿,请用 --number 指定要模拟的版本"
                    f" / {document.code} has no draft: choose a version with --number"
                )
        try:
            simulation = policy_simulate(viewer=SYSTEM, version=version, period=period)
        except ValidationError as error:
            raise CommandError(_field_messages(error)) from None
        for row in simulation.rows:
            mark = "*" if row.grade_changed else " "
            line = (
                f"{mark} {row.number} {row.name}\t{_text(row.old_total)} → {_text(row.new_total)}"
                f"\t{_text(row.old_grade)} → {_text(row.new_grade)}"
                f"\t{_text(row.old_pay_ratio)} → {_text(row.new_pay_ratio)}"
                f"\t{_text(row.old_fine)} → {_text(row.new_fine)}\t{row.pay_difference:+}"
            )
            if row.error:
                line += f"\t{row.error}"
            self.stdout.write(line)
        self.stdout.write(
            f"{period.key} v{version.number}: 共 {len(simulation.rows)} 人,"
            f"{simulation.changed} 人结果变化,{simulation.grade_changes} 人等级变化,"
            f"绩效工资合计变化 {simulation.pay_difference:+} 元"
            f"{f',{simulation.errors} 人无法计分' if simulation.errors else ''}"
        )
