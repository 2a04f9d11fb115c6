"""The built-in policies (内置考评办法): each as its table, its lint and its example explained.

The company's rules are for everyone who is scored by them: every signed-in user may read them.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaoping.scoring import builtin_policies, builtin_policy, evaluate_case, parse_case_json
from kaoping.scoring.examples import example_texts
from kaoping.scoring.lint import lint_policy
from kaoping.scoring.show import render_policy


@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    """The built-in policies, each with a link to its page."""
    return render(request, "web/policies/list.html", {"policies": builtin_policies().values()})


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
        "web/policies/detail.html",
        {
            "policy": policy,
            "table": render_policy(policy),
            "issues": lint_policy(policy),
            "example": example,
            "results": results,
        },
    )
