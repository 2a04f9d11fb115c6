"""Inspections, findings, fault notices and corrective actions."""
