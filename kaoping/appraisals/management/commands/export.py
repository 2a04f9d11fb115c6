"""kaoping export WHAT ...: exports as .xlsx.

kaoping export payroll --period 2026-10 -o FILE.xlsx      the payroll sheet of a closed period
kaoping export template KIND -o FILE.xlsx                 an import template (kaoping.sheets)
kaoping export appraisal-form|violations|ranking --period 2026-10 -o FILE.xlsx
                                                           the forms and reports (kaoping.sheets)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaoping.appraisals.exports import payroll_workbook
from kaoping.appraisals.management.commands.close import company_from
from kaoping.appraisals.selectors import payroll_rows
from kaoping.org.access import SYSTEM
from kaoping.outputs import output_path, write_output
from kaoping.periods.models import Period


class Command(BaseCommand):
    help = (
        "导出 / export: payroll 工资扣减表 (closed periods only), template 导入模板, "
        "appraisal-form 考核表, violations 违规处理情况汇总, ranking 小组评比"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        from kaoping.sheets.cli import add_export_kinds

        kinds = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        payroll = kinds.add_parser("payroll", help="工资扣减表 / the payroll sheet")
        payroll.add_argument("--period", required=True)
        payroll.add_argument("--company")
        payroll.add_argument("-o", "--output", required=True, help="输出文件 .xlsx / output file")
        add_export_kinds(kinds)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] != "payroll":
            from kaoping.sheets.cli import run_export

            run_export(self, options)
            return
        output = output_path(options["output"])
        company = company_from(options["company"])
        period = Period.objects.filter(company=company, kind="month", key=options["period"]).first()
        if period is None:
            raise CommandError(f"--period: 没有考评期间 {options['period']} / no such period")
        if not period.is_closed:
            raise CommandError(f"--period: {period.key} 尚未关账 / not closed yet")
        from kaoping.appeals.selectors import open_appeal_employee_ids

        open_appeals = open_appeal_employee_ids(period=period)
        rows = payroll_rows(viewer=SYSTEM, period=period, open_appeals=open_appeals)
        write_output(output, payroll_workbook(period, rows))
        flagged = sum(1 for r in rows if r.floor_applied)
        self.stdout.write(
            f"{output}: {len(rows)} 行 rows, {flagged} 行按最低工资封顶 capped at the minimum wage"
        )
