"""Forms of the record lists (检查记录, 违规记录, 运营记录): their filters (GET) and the entry form
of each operations record type.

The filters are the same for the page and its Excel export, so the export is exactly the list
on screen. An invalid filter is reported next to its field and left out (the others still
apply). The entry form's fields are the model's (labels, choices, limits), the unit is one the
viewer may enter records for, and a person is given by 工号; the service checks the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaoping.api.fields import DATE_OUT_OF_RANGE, FIRST_YEAR, LAST_YEAR
from kaoping.api.filters import UNKNOWN_EMPLOYEE
from kaoping.inspections.models import Finding, InspectionKind
from kaoping.org.models import Employee, OrgUnit

from .selectors import Viewer
from .selectors_records import employee_by_number

DATE_INPUT = "%Y-%m-%d"
DATETIME_INPUT = "%Y-%m-%dT%H:%M"
MONTH_INPUT = "%Y-%m"
MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
BAD_MONTH = _("请按“2026-10”的格式填写月份。")
TO_BEFORE_FROM = _("截止日期不能早于起始日期。")


def _out_of_range(value: dt.date) -> bool:
    return not FIRST_YEAR <= value.year <= LAST_YEAR


def _range_error() -> str:
    return str(DATE_OUT_OF_RANGE).format(first=FIRST_YEAR, last=LAST_YEAR)


def month_first(value: str) -> dt.date | None:
    """The first day of a month written "2026-10", None when it is not one (or out of range)."""
    match = MONTH_PATTERN.match(value or "")
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return dt.date(year, month, 1)


def month_last(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A unit, shown indented under its parent (the units come in tree order; the first one
    listed sets the left margin)."""

    base_depth: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        depth = obj.path.count("/")
        if self.base_depth is None:
            self.base_depth = depth
        return "\u3000" * max(0, depth - self.base_depth) + obj.name


def _styled(form: forms.BaseForm) -> None:
    """Tabler's classes on every widget, and is-invalid on those with errors (once the form
    has been checked: asking for the errors here would check it before it is built)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        widget.attrs.setdefault("id", f"id_{name}")
    checked = getattr(form, "_errors", None)
    if checked is not None:
        for name in checked:
            if name in form.fields:
                css = form.fields[name].widget.attrs.get("class", "")
                if "is-invalid" not in css:
                    form.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()


# --- the lists' filters ---------------------------------------------------------------------


class RecordFilterForm(forms.Form):
    """月份 or a date range, unit (its subtree) and the person (name or 工号): every list's
    filters. `employee=False` leaves the person out (a record type that names nobody)."""

    month = forms.CharField(
        label=_("月份"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        input_formats=[DATE_INPUT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
        error_messages={"invalid": _("请填写有效的日期。")},
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        input_formats=[DATE_INPUT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
        error_messages={"invalid": _("请填写有效的日期。")},
    )
    unit = UnitChoiceField(
        label=_("单元"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("全部单元")
    )
    q = forms.CharField(label=_("员工(姓名或工号)"), required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        units: models.QuerySet[OrgUnit],
        employee: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        if not employee:
            del self.fields["q"]
        _styled(self)

    def full_clean(self) -> None:
        super().full_clean()
        _styled(self)

    def clean_month(self) -> dt.date | None:
        raw = self.cleaned_data.get("month") or ""
        if not raw.strip():
            return None
        first = month_first(raw)
        if first is None:
            raise forms.ValidationError(BAD_MONTH)
        return first

    def clean_date_from(self) -> dt.date | None:
        return self._in_range("date_from")

    def clean_date_to(self) -> dt.date | None:
        value = self._in_range("date_to")
        start = self.cleaned_data.get("date_from")
        if value is not None and start is not None and value < start:
            raise forms.ValidationError(TO_BEFORE_FROM)
        return value

    def _in_range(self, name: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and _out_of_range(value):
            raise forms.ValidationError(_range_error())
        return value

    def value(self, name: str, default: Any = None) -> Any:
        """A filter's valid value (`default` when it is empty or invalid)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        found = self.cleaned_data.get(name)
        return default if found in (None, "") else found

    def days(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day asked for (inclusive): the month, narrowed by the range."""
        start: dt.date | None = self.value("date_from")
        end: dt.date | None = self.value("date_to")
        month: dt.date | None = self.value("month")
        if month is not None:
            start = max(start, month) if start is not None else month
            last = month_last(month)
            end = min(end, last) if end is not None else last
        return start, end

    def query_string(self) -> str:
        """The filters as given (for the export link and the pages), without the page."""
        if not self.is_bound:
            return ""
        query = self.data.copy()  # type: ignore[attr-defined]
        query.pop("page", None)
        return str(query.urlencode())


class FindingFilterForm(RecordFilterForm):
    """违规记录: also the section (考评项目), the status and the inspection (from its list)."""

    section = forms.ChoiceField(label=_("考评项目"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("有效")), ("voided", _("已撤销")), ("all", _("全部"))],
    )
    inspection = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, sections: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        section = self.fields["section"]
        assert isinstance(section, forms.ChoiceField)
        section.choices = [("", _("全部考评项目")), *sections]

    def status_value(self) -> str | None:
        """The selector's status: active by default, voided, or None for all."""
        wanted = self.value("status", "")
        if wanted == "all":
            return None
        if wanted == "voided":
            return str(Finding.Status.VOIDED)
        return str(Finding.Status.ACTIVE)


class InspectionFilterForm(RecordFilterForm):
    """检查记录: also the kind of inspection."""

    kind = forms.ChoiceField(
        label=_("检查类型"),
        required=False,
        choices=[("", _("全部类型")), *InspectionKind.choices],
    )


# --- the entry forms of operations records ---------------------------------------------------


class RecordForm(forms.Form):
    """An operations record's entry form: the unit, then the type's fields as the model has
    them (`fields`, in the service's names), a person by 工号."""

    def __init__(
        self,
        *args: Any,
        model: type[models.Model],
        fields: Sequence[str],
        units: models.QuerySet[OrgUnit],
        viewer: Viewer,
        optional: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["unit"] = UnitChoiceField(
            label=_("单元"),
            queryset=units,
            empty_label=_("请选择"),
            error_messages={"required": _("请选择单元。")},
        )
        for name in fields:
            self.fields[name] = _entry_field(model, name)
            if name in optional:
                self.fields[name].required = False
        _styled(self)

    def full_clean(self) -> None:
        super().full_clean()
        _styled(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            day = value.date() if isinstance(value, dt.datetime) else value
            if isinstance(day, dt.date) and _out_of_range(day):
                self.add_error(name, _range_error())
        return data

    def clean_employee(self) -> Employee | None:
        number = str(self.cleaned_data.get("employee") or "").strip()
        if not number:
            return None
        employee = employee_by_number(viewer=self.viewer, number=number)
        if employee is None:
            raise forms.ValidationError(str(UNKNOWN_EMPLOYEE).format(value=number))
        return employee


def _entry_field(model: type[models.Model], name: str) -> forms.Field:
    """The form field of a model field: its label, choices and limits; dates and times with
    the browser's pickers; a person as a 工号."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    label = field.verbose_name
    if isinstance(field, models.ForeignKey):
        return forms.CharField(
            label=_("{label}(工号)").format(label=label),
            required=not field.blank,
            max_length=40,
            error_messages={"required": _("请填写工号。")},
        )
    if isinstance(field, models.DateTimeField):
        return forms.DateTimeField(
            label=label,
            required=not field.blank,
            input_formats=[DATETIME_INPUT],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
            error_messages={"invalid": _("请填写有效的时间。")},
        )
    if name == "month":
        return forms.DateField(
            label=label,
            required=not field.blank,
            input_formats=[MONTH_INPUT, DATE_INPUT],
            widget=forms.DateInput(attrs={"type": "month"}, format=MONTH_INPUT),
            error_messages={"invalid": BAD_MONTH},
        )
    if isinstance(field, models.DateField):
        return forms.DateField(
            label=label,
            required=not field.blank,
            input_formats=[DATE_INPUT],
            widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
            error_messages={"invalid": _("请填写有效的日期。")},
        )
    form_field = field.formfield()
    assert form_field is not None
    if isinstance(field, models.TextField):
        form_field.widget.attrs["rows"] = 3
    if isinstance(form_field, forms.ChoiceField):
        choices: list[tuple[Any, Any]] = list(form_field.choices)  # type: ignore[arg-type]
        form_field.choices = [
            ("", _("请选择")) if value == "" else (value, text) for value, text in choices
        ]
    return form_field
