"""Credential engine: attempts, assessments, issuance (an Open edX Django app plugin)."""
