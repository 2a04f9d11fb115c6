"""Forms of the supervisor's pages: recording a finding (记录违规)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.inspections.models import InspectionKind, Severity
from kaoping.scoring.policy import Policy

# Kinds of inspection a supervisor records findings in, the patrol (巡视) first.
RECORD_KINDS = (
    InspectionKind.PATROL,
    InspectionKind.SPOT,
    InspectionKind.DAILY,
    InspectionKind.WEEKLY,
    InspectionKind.MONTHLY,
    InspectionKind.VISIT,
)
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class FindingForm(forms.Form):
    """记录违规: the finding on one person (picked beforehand), checked by the service."""

    kind = forms.ChoiceField(
        label=_("检查类型"),
        choices=[(kind.value, kind.label) for kind in RECORD_KINDS],
        initial=InspectionKind.PATROL,
    )
    section = forms.ChoiceField(
        label=_("考评项目"), error_messages={"required": _("请选择考评项目。")}
    )
    severity = forms.ChoiceField(label=_("违规程度"), required=False)
    item = forms.ChoiceField(label=_("细则条目"), required=False)
    points = forms.DecimalField(
        label=_("扣分"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=0,
        error_messages={"invalid": _("请输入数字,如 1.5。")},
    )
    description = forms.CharField(
        label=_("违规描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写违规描述。")},
    )
    occurred_at = forms.DateTimeField(
        label=_("发生时间"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"required": _("请填写发生时间。"), "invalid": _("请填写有效的时间。")},
    )
    # The photos travel in request.FILES and go to the photo service one by one; the field is
    # here so that the service's messages about them show next to the file input.
    photos = forms.Field(label=_("现场照片"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, policy: Policy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        sections = [s for s in policy.sections if s.takes_findings] if policy else []
        self._choices("section", [("", _("请选择")), *((s.id, s.title) for s in sections)])
        self._choices("severity", [("", "—"), *Severity.choices])
        items: list[tuple[str, Any]] = [("", "—")]
        for section in sections:
            if section.checklist:
                items.append(
                    (
                        section.title,
                        [(key, f"{key} {entry.title}") for key, entry in section.checklist.items()],
                    )
                )
        self._choices("item", items)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"id_{name}")
        self.fields["points"].widget.attrs.update({"step": "0.5", "inputmode": "decimal"})

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def mark_invalid(self) -> None:
        """Add Bootstrap's is-invalid to the widgets of fields with errors."""
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                if "is-invalid" not in css:
                    self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()


class ActionStepForm(forms.Form):
    """A step of a corrective action (开始整改, 完成, 验证) with its text: the measures planned or
    taken, or the verification note. The service says when the text is required."""

    text = forms.CharField(
        label=_("说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionFilterForm(forms.Form):
    """The corrective actions list's filters (GET)."""

    status = forms.ChoiceField(label=_("状态"), required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kaoping.inspections.models import CorrectiveAction

        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部状态")), *CorrectiveAction.Status.choices]


class SupervisorRatingForm(forms.Form):
    """上级评: one score per rated item of the policy (value_<item>), blank for not yet."""

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in policy.sections:
            if section.method != "rating":
                continue
            self.fields[f"value_{section.id}"] = forms.DecimalField(
                label=section.title,
                required=False,
                max_digits=5,
                decimal_places=1,
                error_messages={"invalid": _("请输入数字,如 8.5。")},
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control form-control-sm kp-rating-input",
                        "step": "0.5",
                        "min": "0",
                        "max": str(section.max),
                        "inputmode": "decimal",
                    }
                ),
            )

    def values(self) -> dict[str, Any]:
        """The scores given, by item id."""
        return {
            name.removeprefix("value_"): value
            for name, value in self.cleaned_data.items()
            if value is not None
        }


class ScoreEntryForm(forms.Form):
    """奖扣分 or 嘉奖加分 proposed by the rater, with its reason."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("adjustment", _("奖扣分")), ("bonus", _("嘉奖加分"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    value = forms.DecimalField(
        label=_("分值"),
        max_digits=5,
        decimal_places=1,
        error_messages={"required": _("请填写分值。"), "invalid": _("请输入数字,如 -2 或 3。")},
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )
    reason = forms.CharField(
        label=_("原因"),
        max_length=2000,
        error_messages={"required": _("请填写原因。")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class InterviewForm(forms.Form):
    """考核面谈: the interview's suggestions or opinions."""

    text = forms.CharField(
        label=_("考核面谈建议或意见"),
        max_length=4000,
        error_messages={"required": _("请填写面谈记录。")},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
