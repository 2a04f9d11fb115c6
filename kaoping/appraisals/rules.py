"""Who may open and close periods, rate, and approve entries."""

import rules

from kaoping.org.rules import (
    is_department_head_over,
    is_hr_over,
    is_project_manager_over,
    is_quality_over,
    is_supervisor_over,
)

rules.add_perm("appraisals.open_period", is_quality_over | is_project_manager_over)
rules.add_perm("appraisals.close_period", is_project_manager_over | is_quality_over)
rules.add_perm("appraisals.rate_supervisor", is_supervisor_over)
rules.add_perm("appraisals.rate_indirect", is_department_head_over)
rules.add_perm("appraisals.rate_manager", is_project_manager_over)
rules.add_perm(
    "appraisals.manage_entries",
    is_supervisor_over | is_department_head_over | is_project_manager_over,
)
rules.add_perm("appraisals.approve_entries", is_department_head_over | is_project_manager_over)
rules.add_perm(
    "appraisals.set_ranking", is_department_head_over | is_project_manager_over | is_quality_over
)

# HR works through the actions a close produced (处理事项): sanctions, warnings, probation …
rules.add_perm("appraisals.handle_outcomes", is_hr_over)
