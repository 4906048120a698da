"""Celery task names: wire identifiers shared by the tasks and the beat schedule the plugin's
settings add. They stay the same whatever module holds the task, so queued messages and
operators' beat entries keep working across releases."""
EXPIRE_TASK = "credential_app.tasks.expire_credentials"
DELIVER_TASK = "credential_app.tasks.deliver_destination"
SWEEP_OUTBOX_TASK = "credential_app.tasks.sweep_outbox"
SIGN_BADGE_TASK = "credential_app.tasks.sign_badge"
PULL_OUTCOMES_TASK = "credential_app.tasks.pull_workplace_outcomes"
REFRESH_INDICATORS_TASK = "credential_app.tasks.refresh_workplace_indicators"

# Every task of the app: what a queue of its own (CREDENTIAL_APP["CELERY_QUEUE"]) receives.
ALL_TASKS = (EXPIRE_TASK, DELIVER_TASK, SWEEP_OUTBOX_TASK, SIGN_BADGE_TASK, PULL_OUTCOMES_TASK,
             REFRESH_INDICATORS_TASK)
