"""The API's routes: one router for every app's viewsets, the schema and its interactive docs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from kaoping.appeals.api import holidays
from kaoping.appeals.api import views as appeals
from kaoping.appraisals.api import ranking
from kaoping.appraisals.api import views as appraisals
from kaoping.inspections.api import photos
from kaoping.inspections.api import views as inspections
from kaoping.operations.api import views as operations
from kaoping.org.api import roles
from kaoping.org.api import views as org
from kaoping.periods.api import views as periods
from kaoping.policies.api import views as policies
from kaoping.sheets.api import SheetImportView, SheetTemplateView

from .views import MeView, not_found


class Router(DefaultRouter):
    """The API root at /api/, no `.json` suffix routes (the Accept header chooses)."""

    include_format_suffixes = False


router = Router()
router.register("units", org.UnitViewSet, basename="unit")
router.register("positions", org.PositionViewSet, basename="position")
router.register("employees", org.EmployeeViewSet, basename="employee")
router.register("placements", org.PlacementViewSet, basename="placement")
router.register("inspection-plans", inspections.InspectionPlanViewSet, basename="inspection-plan")
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("findings", inspections.FindingViewSet, basename="finding")
router.register("fault-notices", inspections.FaultNoticeViewSet, basename="fault-notice")
router.register(
    "corrective-actions", inspections.CorrectiveActionViewSet, basename="corrective-action"
)
router.register("complaints", operations.ComplaintViewSet, basename="complaint")
router.register("incidents", operations.IncidentViewSet, basename="incident")
router.register("call-statistics", operations.CallStatisticViewSet, basename="call-statistic")
router.register("work-orders", operations.WorkOrderViewSet, basename="work-order")
router.register("fee-collections", operations.FeeCollectionViewSet, basename="fee-collection")
router.register("owner-visits", operations.OwnerVisitViewSet, basename="owner-visit")
router.register("surveys", operations.SurveyResponseViewSet, basename="survey")
router.register("work-points", operations.WorkPointEntryViewSet, basename="work-point")
router.register("periods", periods.PeriodViewSet, basename="period")
router.register("appraisals", appraisals.AppraisalViewSet, basename="appraisal")
router.register("ratings", appraisals.RatingViewSet, basename="rating")
router.register("score-entries", appraisals.ScoreEntryViewSet, basename="score-entry")
router.register("results", appraisals.ResultViewSet, basename="result")
router.register("outcome-items", appraisals.OutcomeItemViewSet, basename="outcome-item")
router.register("appeals", appeals.AppealViewSet, basename="appeal")
router.register("ranking-items", ranking.RankingItemViewSet, basename="ranking-item")
router.register("ranking-values", ranking.RankingValueViewSet, basename="ranking-value")
router.register("member-grades", ranking.MemberGradeViewSet, basename="member-grade")
router.register("holidays", holidays.HolidayViewSet, basename="holiday")
router.register("builtin-policies", policies.BuiltinPolicyViewSet, basename="builtin-policy")
router.register("policies", policies.PolicyDocumentViewSet, basename="policy")
router.register("policy-versions", policies.PolicyVersionViewSet, basename="policy-version")
router.register("role-assignments", roles.RoleAssignmentViewSet, basename="role-assignment")
router.register("finding-photos", photos.FindingPhotoViewSet, basename="finding-photo")


def _api_signs_in(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API answers 401 itself (token or session): exempt its views from the web's
    sign-in redirect (LoginRequiredMiddleware)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns


app_name = "api"
urlpatterns = _api_signs_in(
    [
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
        path("me/", MeView.as_view(), name="me"),
        path("imports/", SheetImportView.as_view(), name="sheet-import"),
        path("import-templates/<str:kind>/", SheetTemplateView.as_view(), name="sheet-template"),
        *router.urls,
        re_path(r"^(?P<rest>.*)$", not_found),
    ]
)
