"""An appraisal (考核) as its subject sees it: the score so far and why, the self-assessment.

The first cut of the appraisal page; the appraisal form in the layout of the seeds' 考核表
(自评, 上级评, the review chain, 面谈, signatures) builds on it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kaoping.appraisals.selectors import appraisal_get, appraisal_live_score
from kaoping.policies.selectors import engine_policy

from ..rendering import render_page
from ..selectors import live_score_of, self_assessment_of


@require_GET
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraisal with its live score and explanation; 404 outside the viewer's scope."""
    appraisal = appraisal_get(viewer=request.user, pk=pk)
    policy = engine_policy(appraisal.policy_version)
    live = live_score_of(appraisal_live_score(viewer=request.user, pk=appraisal.pk), policy)
    return render_page(
        request,
        "web/appraisals/detail.html",
        {
            "appraisal": appraisal,
            "policy": policy,
            "live": live,
            "self_assessment": self_assessment_of(appraisal, policy, timezone.localdate()),
        },
        fragments={"appraisal-live": "web/home/_live.html"},
    )
