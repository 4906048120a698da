"""The credential core: attempts, assessment, policies, credentials, versions and the audit trail.

It knows nothing of Open Badges, HRIS, reports or pages: it announces what happened
(``core.signals``) and the domains above listen.
"""
