"""Badges are signed after their award commits, away from the request that awarded them.

Signing (JSON-LD canonicalisation, then Ed25519) costs more than the rest of a scoring
request and grows with the rubric, so the request only announces the award; who signs
depends on ``CREDENTIAL_APP["BADGE_SIGNING"]``:

* ``"celery"`` (the default): a task on the app's queue (``credential_app.sign_badge``);
* ``"thread"`` (the embedded default, the demo): one background thread per process;
* ``"inline"``: at once, in the thread that committed (tests, or a site without workers);
* ``"on_demand"``: not now; when first needed (below). ``load_demo`` awards a history of
  badges that nobody may ever open.

Nothing is lost if that start fails (broker down, process killed): a badge not yet signed
is signed when it is first needed (its page or downloads, the API, an HRIS delivery).
"""
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import connection

from credential_app.data import CredentialStatus
from credential_app.openbadges import store
from credential_app.task_names import SIGN_BADGE_TASK

log = logging.getLogger(__name__)
MODES = ("celery", "thread", "inline", "on_demand")
_pool = {"pid": None, "executor": None}


def mode() -> str:
    return settings.CREDENTIAL_APP.get("BADGE_SIGNING", "celery")


def on_credential_awarded(sender, credential, **kwargs):
    """Receiver of the issued/approved signals (sent after commit): have the badge signed."""
    if credential.status == CredentialStatus.ACTIVE:
        start(credential.uuid)


def start(credential_uuid) -> None:
    """Have this credential's badge signed the way the settings say; never raises."""
    how = mode()
    try:
        if how == "celery":
            sign_badge.apply_async((str(credential_uuid),), retry=False)
        elif how == "thread":
            _executor().submit(_sign_in_thread, str(credential_uuid))
        elif how != "on_demand":
            sign(credential_uuid)
    except Exception as exc:  # noqa: BLE001 - the badge is signed when first needed
        log.warning("Could not start signing the Open Badge of credential %s (%s); it will "
                    "be signed when first needed.", credential_uuid, type(exc).__name__)


def sign(credential_uuid) -> bool:
    """Sign the badge now (if it still needs it); False, logged, when that fails."""
    try:
        store.ensure_signed(store.load(credential_uuid, to_sign=True))
        return True
    except Exception:  # noqa: BLE001 - the credential stands; only its signature waits
        log.exception("Signing the Open Badge of credential %s failed; it will be signed "
                      "when first needed.", credential_uuid)
        return False


def _sign_in_thread(credential_uuid) -> bool:
    try:
        return sign(credential_uuid)
    finally:
        connection.close()  # the thread's own connection; the next job opens another


def _executor() -> ThreadPoolExecutor:
    """One signing thread per process, made in that process (a forked worker makes its own)."""
    if _pool["pid"] != os.getpid():
        _pool["executor"] = ThreadPoolExecutor(max_workers=1,
                                               thread_name_prefix="badge-signing")
        _pool["pid"] = os.getpid()
    return _pool["executor"]


def wait_for_thread() -> None:
    """Return once every signature started in this process's thread is done (tests)."""
    if _pool["pid"] == os.getpid():
        _pool["executor"].submit(lambda: None).result()


@shared_task(name=SIGN_BADGE_TASK, ignore_result=True, acks_late=True)
def sign_badge(credential_uuid) -> bool:
    """Sign one credential's Open Badge (queued after its award commits)."""
    return sign(credential_uuid)
