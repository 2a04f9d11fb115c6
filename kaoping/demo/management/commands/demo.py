"""kaoping demo: migrate the database and build the demo company with a login for every role."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kaoping.demo.builder import (
    COMPANY_CODE,
    COMPANY_NAME,
    build_demo,
    demo_state,
    logins_text,
    production_refusal,
)

COUNT_LABELS = (
    ("employees", "员工 staff"),
    ("units", "组织单元 units"),
    ("inspections", "检查 inspections"),
    ("findings", "违规记录 findings"),
    ("fault_notices", "过失通知单 fault notices"),
    ("corrective_actions", "纠正措施 corrective actions"),
    ("complaints", "投诉 complaints"),
    ("incidents", "事故 incidents"),
    ("surveys", "满意度调查 surveys"),
    ("fee_collections", "收费记录 fee rows"),
    ("visits", "业主走访 visits"),
    ("work_orders", "工单 work orders"),
    ("work_points", "工作积分 work points"),
    ("call_days", "热线日统计 call days"),
    ("appraisals", "考核 appraisals"),
    ("results", "结果 results"),
    ("periods_closed", "已关账月份 closed months"),
)


class Command(BaseCommand):
    help = (
        "演示数据:迁移数据库,建立演示公司(广州锦华物业)和各角色的登录账号 / migrate, then build "
        "the demo company with six months of records and a login per role (safe to run again)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        refusal = production_refusal()
        if refusal is not None:
            raise CommandError(refusal, returncode=1)
        write = self.stdout.write
        write("迁移数据库 / migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        state = demo_state()
        if state == "incomplete":
            raise CommandError(
                f"演示公司 {COMPANY_CODE} 不完整(上次运行被中断),未做任何更改;请换用新的数据库"
                "(如删除 var/kaoping.sqlite3)后重新运行 / the demo company was left incomplete "
                "by an interrupted run: nothing changed; run again on a fresh database.",
                returncode=1,
            )
        if state == "complete":
            write(
                f"演示公司 {COMPANY_NAME}({COMPANY_CODE})已存在,未做任何更改 / "
                "the demo company exists already: nothing changed"
            )
        else:
            write(f"建立演示公司 / building the demo company {COMPANY_NAME} …")
            report = build_demo(say=write)
            counts = ", ".join(
                f"{report.counts.get(key, 0)} {label}" for key, label in COUNT_LABELS
            )
            write(f"完成 / done in {report.seconds:.1f} s: {counts}")
        write("")
        write(logins_text())
