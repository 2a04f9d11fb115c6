"""The organisation (组织): companies, the org-unit tree, positions, employees, placements, roles.

Scopes are org-unit subtrees. Each unit stores its materialised path ("/1/4/9/"), so "everything
under this unit" is one indexed prefix match on any database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    """A company (公司) using Kaoping; every record belongs to exactly one."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    minimum_wage = models.DecimalField(
        _("当地最低工资标准(月)"), max_digits=10, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公司")
        verbose_name_plural = _("公司")

    def __str__(self) -> str:
        return self.name


def path_prefixes(path: str) -> list[str]:
    """The paths of a unit and of every unit above it: '/1/4/9/' → ['/1/', '/1/4/', '/1/4/9/']."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class OrgUnit(models.Model):
    """A unit of the org tree: company → region → project (管理处) → department → team."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("公司")
        REGION = "region", _("区域")
        PROJECT = "project", _("项目/管理处")
        DEPARTMENT = "department", _("部门")
        TEAM = "team", _("班组/服务小组")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="org_unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is `other` or below it."""
        return self.path.startswith(other.path)


class Position(models.Model):
    """A position (岗位): 主管, 接待员, 客服助理, 前台, 管家, 管理员 …"""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    floating_pay = models.DecimalField(
        _("月绩效浮动工资"), max_digits=10, decimal_places=2, default=0
    )
    base_pay = models.DecimalField(_("月固定工资"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="org_position_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A member of staff (员工), identified by 工号 within the company."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="employees")
    number = models.CharField(_("工号"), max_length=40)
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    active = models.BooleanField(_("在职"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="org_employee_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.number})"


class Placement(models.Model):
    """Where an employee works from a date: unit, position and direct supervisor (直接上级).

    Placements of one employee never overlap, so "who was this person's supervisor in October"
    has exactly one answer.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="placements")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="placements")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="placements")
    supervisor = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["employee_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="org_placement_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["employee", "start"])]

    def __str__(self) -> str:
        return f"{self.employee} @ {self.unit} ({self.start}–{self.end or ''})"


class Role(models.TextChoices):
    """What a user may do, over an org-unit subtree (PRODUCT.md, Users and what each may see)."""

    EMPLOYEE = "employee", _("员工")
    SUPERVISOR = "supervisor", _("主管/组长")
    DEPARTMENT_HEAD = "department_head", _("部门主任")
    PROJECT_MANAGER = "project_manager", _("项目经理")
    QUALITY = "quality", _("质管部")
    HR = "hr", _("人力资源部")
    FINANCE = "finance", _("财务部")
    ADMIN = "admin", _("系统管理员")


class RoleAssignment(models.Model):
    """A user holds a role over the subtree of a unit, from a date (to a date)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_assignments")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="org_role_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.unit}"
