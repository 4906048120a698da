"""Workplace outcomes: what employers report back about credential holders and others.

Outcome events (performance, promotions, role and salary changes, exits, time to
productivity) come from the employer's HR system three ways (signed webhook, CSV import,
pull connectors), only for linked employees who consented to share with that employer.
From them: lagging indicators against a matched comparison group, the ROI page and the
governance dashboard. Sits above ``reports`` and ``hris`` (it reads both).
"""
