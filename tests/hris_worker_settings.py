"""Settings of the Celery worker and beat processes the HRIS fault tests start: the demo's,
with delivery by Celery and short sweep, task and lease times so faults heal in seconds."""
from datetime import timedelta

from demo.settings import *  # noqa: F403
from demo.settings import CELERYBEAT_SCHEDULE, CREDENTIAL_APP

CREDENTIAL_APP.update({
    "HRIS_DELIVERY": "celery",
    "HRIS_SWEEP_SECONDS": 2,
    "HRIS_TASK_SECONDS": 10,
    "HRIS_LEASE_MARGIN_SECONDS": 3,
    "HRIS_ALLOW_HTTP": True,  # the test's simulator speaks plain HTTP on loopback
})
CELERYBEAT_SCHEDULE["credential_app.sweep_outbox"]["schedule"] = timedelta(seconds=2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30}
