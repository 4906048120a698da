"""Demo project: the XBlock SDK workbench with the credential app installed.

It stands in for the LMS on one machine: a SQLite database, the workbench
runtime, and a one-click sign-in so a person can act as learner or assessor.
"""
