"""Permission predicates for the operations data (django-rules).

Operations data is entered by those who run or inspect the unit: a supervisor, department head,
project manager or the quality department over the record's unit. Employees, HR, finance and
admins may not write it.
"""

import rules

from kaoping.org.rules import is_inspector_over

rules.add_perm("operations.change_record", is_inspector_over)
