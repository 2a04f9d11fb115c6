"""Excel and CSV in and out (表格导入导出): importers that survive real-world sheets, templates,
and the exports of the appraisal form (考核表), the violation summary and the team ranking.

Every imported row is written through the owning app's services (validation, the closed-period
lock, the audit event); every export reads through selectors with a viewer.
"""
