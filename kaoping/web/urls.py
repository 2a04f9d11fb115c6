"""The web app's pages. Sign-in, sign-out and the language switch are in kaoping/config/urls.py."""

from django.urls import path

from .views import appeals as appeal_views
from .views import (
    appraisals,
    closing,
    corrective,
    health,
    home,
    hr,
    notices,
    policies,
    policy_drafts,
    rating,
    records,
    reports,
    sheets,
    supervisor,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/<slug:role>/", home.dashboard, name="dashboard"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/acknowledge/", notices.notice_acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/dispute/", notices.notice_dispute, name="notice_dispute"),
    path("appraisals/<int:pk>/", appraisals.appraisal_detail, name="appraisal"),
    path("policies/", policies.policy_list, name="policies"),
    path("policies/<slug:policy_id>/", policies.policy_detail, name="policy"),
    path("appeals/", appeal_views.appeal_mine, name="appeals_mine"),
    path("appeals/inbox/", appeal_views.appeal_inbox_page, name="appeals_inbox"),
    path("appeals/new/", appeal_views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", appeal_views.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/decide/", appeal_views.appeal_decide_view, name="appeal_decide"),
    path("appeals/<int:pk>/escalate/", appeal_views.appeal_escalate_view, name="appeal_escalate"),
    path("policy-documents/", policy_drafts.document_list, name="policy_documents"),
    path("policy-documents/<slug:code>/", policy_drafts.document_detail, name="policy_document"),
    path("policy-documents/<slug:code>/draft/", policy_drafts.draft_edit, name="policy_draft"),
    path(
        "policy-documents/<slug:code>/draft/new/",
        policy_drafts.draft_create,
        name="policy_draft_create",
    ),
    path(
        "policy-documents/<slug:code>/draft/lint/",
        policy_drafts.draft_lint,
        name="policy_draft_lint",
    ),
    path(
        "policy-documents/<slug:code>/draft/publish/",
        policy_drafts.draft_publish,
        name="policy_draft_publish",
    ),
    path("sheets/upload/", sheets.sheet_upload, name="sheet_upload"),
    path("sheets/import/", sheets.sheet_import_confirm, name="sheet_import"),
    path("sheets/templates/<slug:kind>.xlsx", sheets.sheet_template, name="sheet_template"),
    path("periods/", closing.periods, name="periods"),
    path("periods/<int:pk>/", closing.period_detail, name="period"),
    path("periods/<int:pk>/close/", closing.period_close_view, name="period_close"),
    path("periods/<int:pk>/payroll.xlsx", hr.period_payroll, name="period_payroll"),
    path("outcomes/<int:pk>/handle/", hr.outcome_handle, name="outcome_handle"),
    path("reports/", reports.reports, name="reports"),
    path("reports/trend.xlsx", reports.report_trend_export, name="report_trend_export"),
    path("reports/<int:pk>/<slug:table>.xlsx", reports.report_export, name="report_export"),
    path("periods/<int:pk>/ranking/", reports.period_ranking, name="period_ranking"),
    path(
        "periods/<int:pk>/ranking.xlsx", reports.period_ranking_export, name="period_ranking_export"
    ),
    path("findings/new/", supervisor.finding_new, name="finding_new"),
    path("findings/new/people/", supervisor.finding_people, name="finding_people"),
    path("findings/new/check/", supervisor.finding_check, name="finding_check"),
    path("findings/notices/<int:pk>/", supervisor.finding_recorded, name="finding_recorded"),
    path("appraisals/<int:pk>/rate/", rating.appraisal_rate, name="appraisal_rate"),
    path(
        "appraisals/<int:pk>/rate/submit/",
        rating.appraisal_rate_submit,
        name="appraisal_rate_submit",
    ),
    path("appraisals/<int:pk>/entries/", rating.appraisal_entry_add, name="appraisal_entry_add"),
    path(
        "appraisals/<int:pk>/interview/",
        rating.appraisal_interview_add,
        name="appraisal_interview_add",
    ),
    path("appraisals/<int:pk>/sign/", rating.appraisal_rater_sign, name="appraisal_rater_sign"),
    path("corrective-actions/", corrective.action_list, name="corrective_actions"),
    path(
        "corrective-actions/<int:pk>/start/",
        corrective.action_start,
        name="corrective_action_start",
    ),
    path(
        "corrective-actions/<int:pk>/complete/",
        corrective.action_complete,
        name="corrective_action_complete",
    ),
    path(
        "corrective-actions/<int:pk>/verify/",
        corrective.action_verify,
        name="corrective_action_verify",
    ),
    path("healthz", health.healthz, name="healthz"),
    # record lists, their exports and the operations records' entry forms (views/records.py)
    path("inspections/", records.inspection_list_page, name="inspections"),
    path("inspections/export.xlsx", records.inspection_export, name="inspections_export"),
    path("findings/", records.finding_list_page, name="findings"),
    path("findings/export.xlsx", records.finding_export, name="findings_export"),
    path(
        "corrective-actions/export.xlsx",
        records.corrective_export,
        name="corrective_actions_export",
    ),
    path("records/", records.record_index, name="records"),
    path("records/<slug:slug>/", records.record_list, name="record_list"),
    path("records/<slug:slug>/new/", records.record_new, name="record_new"),
    path("records/<slug:slug>/export.xlsx", records.record_export, name="record_export"),
    # 奖扣分 approval (views/rating.py)
    path("entries/pending/", rating.entries_pending, name="entries_pending"),
    path("entries/<int:pk>/approve/", rating.entry_approve, name="entry_approve"),
    path("entries/<int:pk>/reject/", rating.entry_reject, name="entry_reject"),
]
