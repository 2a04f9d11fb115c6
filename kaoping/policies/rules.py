"""Permission predicates for policies: the quality department owns them (解释权在质管部)."""

import rules

from kaoping.org.rules import is_quality_over

rules.add_perm("policies.change_policy", is_quality_over)
