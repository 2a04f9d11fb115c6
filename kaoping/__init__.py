"""Kaoping (考评): performance appraisal for customer-service teams."""

__version__ = "0.1.0"
