"""Fixtures the workplace tests share with the report tests."""
from tests.reports.test_reports_browser import signed_in  # noqa: F401 (a browser tab as a user)
