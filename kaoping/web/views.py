"""Views of the web front that belong to no domain app: home, the engine demo, health check."""

from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaoping.scoring import builtin_policies, builtin_policy, evaluate_case, parse_case_json
from kaoping.scoring.examples import example_texts
from kaoping.scoring.lint import lint_policy
from kaoping.scoring.show import render_policy


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page (首页): the built-in policies, each with its worked example."""
    return render(request, "web/home.html", {"policies": builtin_policies().values()})


@require_GET
def policy_detail(request: HttpRequest, policy_id: str) -> HttpResponse:
    """A built-in policy as its table, its lint, and its example case scored and explained."""
    policy = builtin_policy(policy_id)
    if policy is None:
        raise Http404(policy_id)
    results = []
    example = example_texts().get(policy.id)
    if example is not None:
        _, scored = evaluate_case(parse_case_json(example))
        results = [(r, r.as_json(policy.rounding)) for r in scored]
    return render(
        request,
        "web/policy.html",
        {
            "policy": policy,
            "table": render_policy(policy),
            "issues": lint_policy(policy),
            "example": example,
            "results": results,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers: 200 when `SELECT 1` answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": connection.vendor}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
