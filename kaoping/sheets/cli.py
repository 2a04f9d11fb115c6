"""The sheets' kinds of `kaoping export` (the command itself is appraisals' `export`):

    kaoping export template KIND -o FILE.xlsx
    kaoping export appraisal-form --period 2026-10 [--unit CODE] [--employee 工号] -o FILE.xlsx
    kaoping export violations --period 2026-10 [--unit CODE] -o FILE.xlsx
    kaoping export ranking --period 2026-10 [--unit CODE] -o FILE.xlsx

The command line reads as the system (SYSTEM): it sees every record. Bad usage (an unknown kind,
period, unit or employee) exits 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.appraisals.management.commands.close import company_from
from kaoping.org.access import SYSTEM
from kaoping.org.models import Company, Employee, OrgUnit
from kaoping.outputs import output_path, write_output
from kaoping.periods.models import Period

from .exports.forms import (
    appraisal_form_workbook,
    team_ranking_workbook,
    violation_summary_workbook,
)
from .exports.template import template_workbook
from .importers import importer_for, importers
from .selectors import appraisal_forms, team_rankings, violation_summary

USAGE_ERROR = 2
KINDS = ("template", "appraisal-form", "violations", "ranking")


def add_export_kinds(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the sheets' export kinds to the `export` command's sub-commands."""
    template = kinds.add_parser(
        "template",
        help="导入模板 / the import template of a kind",
        description="导入模板 / import template: "
        + ", ".join(f"{i.key} {i.title}" for i in importers()),
    )
    template.add_argument("kind", help="导入类型 / import kind, e.g. complaints")
    template.add_argument("-o", "--output", required=True, help="输出文件 .xlsx / output file")
    for name, what in (
        ("appraisal-form", "考核表 / the appraisal form of each person"),
        ("violations", "违规处理情况汇总 / the violation summary"),
        ("ranking", "服务小组评比 / the team ranking"),
    ):
        sub = kinds.add_parser(name, help=what, description=what)
        sub.add_argument("--period", required=True, help="如 2026-10 / e.g. 2026-10")
        sub.add_argument("--kind", default="month", choices=["month", "quarter", "half", "year"])
        sub.add_argument("--company", help="公司编码 / company code")
        sub.add_argument("--unit", help="只导出该单元及其下级 / only this unit's subtree (code)")
        if name == "appraisal-form":
            sub.add_argument("--employee", help="只导出该员工(工号)/ only this employee (工号)")
        sub.add_argument("-o", "--output", required=True, help="输出文件 .xlsx / output file")


def _usage(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _period(company: Company, options: dict[str, Any]) -> Period:
    period = Period.objects.filter(
        company=company, kind=options["kind"], key=options["period"]
    ).first()
    if period is None:
        raise _usage(
            _("--period:没有考评期间 {period}").format(period=options["period"])
            + " / no such period"
        )
    return period


def _unit(company: Company, code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = OrgUnit.objects.filter(company=company, code=code).first()
    if unit is None:
        raise _usage(_("--unit:没有编码为 {code} 的单元").format(code=code) + " / no such unit")
    return unit


def run_export(command: BaseCommand, options: dict[str, Any]) -> None:
    """Write the export `options["what"]` names to `options["output"]` and say what was written."""
    what = options["what"]
    output = output_path(options["output"])
    if what == "template":
        importer = importer_for(options["kind"])
        if importer is None:
            raise _usage(
                _("未知的导入类型“{kind}”,可选:{kinds}").format(
                    kind=options["kind"], kinds="、".join(i.key for i in importers())
                )
            )
        write_output(output, template_workbook(importer))
        command.stdout.write(
            _("{path}:{title}导入模板").format(path=output, title=importer.shown_title)
        )
        return
    try:
        company = company_from(options["company"])
    except CommandError as exc:
        raise _usage(str(exc)) from None
    period = _period(company, options)
    unit = _unit(company, options["unit"])
    if what == "appraisal-form":
        employee = None
        if options.get("employee"):
            employee = Employee.objects.filter(company=company, number=options["employee"]).first()
            if employee is None:
                raise _usage(
                    _("--employee:没有工号为 {number} 的员工").format(number=options["employee"])
                    + " / no such employee"
                )
        forms = appraisal_forms(viewer=SYSTEM, period=period, unit=unit, employee=employee)
        write_output(output, appraisal_form_workbook(forms))
        command.stdout.write(_("{path}:{count} 份考核表").format(path=output, count=len(forms)))
    elif what == "violations":
        summary = violation_summary(viewer=SYSTEM, period=period, unit=unit)
        write_output(output, violation_summary_workbook(summary))
        command.stdout.write(
            _("{path}:{people} 人,{count} 条违规").format(
                path=output, people=len(summary.people), count=len(summary.lines)
            )
        )
    elif what == "ranking":
        tables = team_rankings(viewer=SYSTEM, period=period, unit=unit)
        write_output(output, team_ranking_workbook(tables))
        teams = sum(len(table.teams) for table in tables)
        command.stdout.write(_("{path}:{count} 个小组").format(path=output, count=teams))
    else:  # pragma: no cover - argparse only lets the kinds above through
        raise _usage(what)
