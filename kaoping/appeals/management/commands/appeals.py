"""kaoping appeals escalate: move overdue appeals up a level; safe from cron any number of times."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kaoping.appeals.models import Appeal, Level
from kaoping.appeals.selectors import appeal_overdue_list
from kaoping.appeals.services import appeals_escalate
from kaoping.org.access import SYSTEM


class Command(BaseCommand):
    help = (
        "申诉 / appeals: escalate 逾期申诉升级至上一级(可重复运行)"
        " / move overdue appeals to the next level (safe to repeat)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["escalate"])

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        before = dict(
            Appeal.objects.filter(status=Appeal.Status.OPEN, level_due__lt=today).values_list(
                "pk", "level"
            )
        )
        moved = appeals_escalate(now=now)
        self.stdout.write(f"已升级 {moved} 件逾期申诉 / escalated {moved} overdue appeal(s)")
        for appeal in (
            Appeal.objects.filter(pk__in=before)
            .exclude(level_due__lt=today)
            .select_related("employee")
            .order_by("pk")
        ):
            self.stdout.write(
                f"#{appeal.pk} {appeal.employee.name}:{Level(before[appeal.pk]).label} → "
                f"{appeal.get_level_display()},新期限 {appeal.level_due}"
            )
        overdue = list(appeal_overdue_list(viewer=SYSTEM, today=today).select_related("employee"))
        self.stdout.write(
            f"最终级别逾期 {len(overdue)} 件 / {len(overdue)} overdue at the final level"
        )
        for appeal in overdue:
            self.stdout.write(
                f"#{appeal.pk} {appeal.employee.name}:{appeal.get_level_display()},"
                f"期限 {appeal.level_due}"
            )
