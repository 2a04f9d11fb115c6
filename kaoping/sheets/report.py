"""The report of one import: rows read, imported, unchanged, and every error with its place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet row (0 for the file as a whole), the column as the sheet names it
    (“C 列「工号」”, empty for the whole row), the value found and the reason, in Chinese."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = [_("第 {row} 行").format(row=self.row)] if self.row else [_("文件")]
        if self.column:
            where.append(self.column)
        if self.value:
            where.append(_("值“{value}”").format(value=self.value))
        return "{where}:{reason}".format(where=",".join(where), reason=self.reason)


@dataclass
class ImportReport:
    """What an import did, or would have done: with any error nothing is written (all or
    nothing), and a dry run never writes.

    `created`, `updated` and `unchanged` count the rows that were (or, when refused or in a dry
    run, would have been) written as new records, written as changes to existing records
    (matched by external_id or their natural key), or left alone as already imported.
    """

    kind: str
    kind_title: str
    file_name: str
    dry_run: bool = False
    sheet: str = ""
    header_row: int = 0
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Rows written (or that would be written): new records and changed ones."""
        return self.created + self.updated

    @property
    def refused(self) -> bool:
        """True when the sheet had errors, so nothing was imported."""
        return bool(self.errors)

    @property
    def written(self) -> bool:
        """True when the rows are in the database now."""
        return not self.errors and not self.dry_run

    def summary(self) -> str:
        """One sentence saying what happened to the sheet."""
        if self.errors:
            return _(
                "导入被拒绝:共读取 {rows} 行,发现 {errors} 处错误,整张表未导入任何记录(全部或全不)。"
                "请改正后重新导入。"
            ).format(rows=self.rows_read, errors=len(self.errors))
        counts = _("新增 {created} 行,更新 {updated} 行,已存在未变 {unchanged} 行").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged
        )
        if self.dry_run:
            return _("试运行:共读取 {rows} 行,可以导入({counts});未写入任何数据。").format(
                rows=self.rows_read, counts=counts
            )
        return _("导入完成:共读取 {rows} 行,已导入 {imported} 行({counts})。").format(
            rows=self.rows_read, imported=self.imported, counts=counts
        )

    def lines(self) -> list[str]:
        """The whole report as lines of text (what `kaoping import` prints)."""
        where = self.file_name + (f"「{self.sheet}」" if self.sheet else "")
        lines = [_("{title}导入:{where}").format(title=self.kind_title, where=where)]
        if self.header_row:
            lines.append(_("表头在第 {row} 行。").format(row=self.header_row))
        if self.ignored_columns:
            lines.append(_("未使用的列:{columns}").format(columns="、".join(self.ignored_columns)))
        lines.extend(str(error) for error in self.errors)
        lines.append(self.summary())
        return lines
