"""Defaults every LMS and Studio get when the plugin is installed."""
from datetime import timedelta

from credential_app.task_names import EXPIRE_TASK, SWEEP_OUTBOX_TASK

SWAGGER_UI_APP = "drf_spectacular_sidecar"


DEFAULTS = {
    # Accept credentials whose issuer is a did:key (anyone can make one): off, so the public
    # verifier vouches only for issuers it can name; on, such a credential verifies and is
    # labelled as signed by an issuer this site does not know.
    "ACCEPT_DID_KEY_ISSUERS": False,
    # Largest text evidence (characters) any unit may accept, whatever its own setting.
    "MAX_EVIDENCE_TEXT_LENGTH": 50_000,
    # Minutes an assessor's claim on an attempt keeps others from scoring it.
    "CLAIM_MINUTES": 30,
    # Storage alias (settings.STORAGES) that keeps learners' evidence files.
    "EVIDENCE_STORAGE": "default",
    # Largest evidence file (bytes) any unit may accept, whatever its own setting.
    "MAX_EVIDENCE_FILE_SIZE": 100 * 1024 * 1024,
    # Where a learner sees the credentials they hold (linked from the block); None:
    # this app's own page.
    "CREDENTIALS_PAGE_URL": None,
    # Also answer at the root addresses of earlier versions (/badges/..., /openbadges/...,
    # /credentials/): old public badge links redirect, old issuer DIDs resolve
    # (docs/decisions/0011). Off: every URL of the app starts with /credential-app/.
    "LEGACY_ROOT_URLS": False,
    # Template the learner's credentials page extends (blocks "title" and "content").
    "PAGE_BASE_TEMPLATE": "credential_app/base.html",
    # Reports: Krippendorff's alpha metric for assessor agreement ("ordinal",
    # "interval" or "nominal"), and the drift alert: an assessor whose alpha against
    # the others is below REPORTS_DRIFT_ALPHA, and REPORTS_DRIFT_MARGIN below the
    # others' alpha among themselves, over at least REPORTS_DRIFT_MIN_PAIRS shared
    # criterion scores is flagged.
    "REPORTS_ALPHA_METRIC": "ordinal",
    "REPORTS_DRIFT_ALPHA": 0.667,
    "REPORTS_DRIFT_MARGIN": 0.2,
    "REPORTS_DRIFT_MIN_PAIRS": 20,

    # --- Open Badges 3.0 ---
    # Address verifiers reach this site at (DIDs, status lists, links in credentials);
    # None: LMS_ROOT_URL. Changing it changes every issuer's did:web.
    "PUBLIC_BASE_URL": None,
    # Ed25519 signing keys, newest first (see credential_app/openbadges/keys.py), or the
    # path of a JSON file (mode 0600) holding that list. Never in the database.
    "SIGNING_KEYS": None,
    "SIGNING_KEYS_FILE": None,
    # Who signs a badge once its award commits (never the request that awarded it):
    # "celery" (a task), "thread" (a background thread per process, the demo) or "inline"
    # (at once, after commit). See credential_app/openbadges/signing_queue.py.
    "BADGE_SIGNING": "celery",
    # Bits per revocation status list (at least 131072, the spec's 16 KB minimum).
    "STATUS_LIST_SIZE": 131_072,
    # Largest credential (bytes) the public verify endpoint accepts, and its rate.
    "VERIFY_MAX_BYTES": 2 * 1024 * 1024,
    "VERIFY_RATE": "120/minute",
}


def plugin_settings(settings):
    """Add the plugin's defaults; an operator's own values always win."""
    with_defaults(settings)
    _add_swagger_ui(settings)
    _schedule_expiry(settings)
    _schedule_outbox_sweep(settings)


def with_defaults(settings, overrides=None):
    """``CREDENTIAL_APP`` as the operator set it (and ``overrides``), every key they left out
    filled from the defaults: a partial dict from a deployment's YAML loses nothing."""
    current = getattr(settings, "CREDENTIAL_APP", {}) or {}
    settings.CREDENTIAL_APP = {**DEFAULTS, **HRIS_DEFAULTS, **current, **(overrides or {})}


EXPIRY_SCHEDULE_ENTRY = "credential_app.expire_credentials"


def _schedule_expiry(settings):
    """Run the expiry sweep hourly from Celery beat (Open edX reads ``CELERYBEAT_SCHEDULE``).

    An operator's own entry of the same name wins; without beat, run the
    ``expire_credentials`` management command from cron instead.
    """
    _add_beat_entry(settings, EXPIRY_SCHEDULE_ENTRY, EXPIRE_TASK, timedelta(hours=1))


def _add_beat_entry(settings, name, task, every):
    """Add a periodic task to ``CELERYBEAT_SCHEDULE``; an operator's entry of that name wins."""
    schedule = dict(getattr(settings, "CELERYBEAT_SCHEDULE", None) or {})
    schedule.setdefault(name, {"task": task, "schedule": every})
    settings.CELERYBEAT_SCHEDULE = schedule


def _add_swagger_ui(settings):
    """The API explorer's Swagger UI is drf-spectacular-sidecar's static files: its app
    must be installed for ``collectstatic`` and the static finders to see them."""
    apps = getattr(settings, "INSTALLED_APPS", None)
    if apps is not None and SWAGGER_UI_APP not in apps:
        settings.INSTALLED_APPS = [*apps, SWAGGER_UI_APP]


# --- HRIS delivery (issue 6): outbox, delivery engine, destinations ---

HRIS_DEFAULTS = {
    # How delivery starts after an event commits: "celery" (a task per destination; the
    # beat sweep below is the safety net), "thread" (the embedded default: a sweeper thread
    # in the web process) or "none" (only `manage.py deliver_outbox [--loop]`).
    "HRIS_DELIVERY": "celery",
    # Seconds between sweeps of due outbox rows (beat entry, --loop default, thread mode).
    "HRIS_SWEEP_SECONDS": 60,
    # Longest one delivery task or sweep works before handing over to the next.
    "HRIS_TASK_SECONDS": 55,
    # Added to a batch's worst-case time to give its lease: after that, rows a killed worker
    # held are delivered by another.
    "HRIS_LEASE_MARGIN_SECONDS": 30,
    # SSRF: destinations on private, loopback or link-local addresses are refused unless
    # this is True (the demo and the tests only). Plain http:// only with HRIS_ALLOW_HTTP.
    "HRIS_ALLOW_PRIVATE_ADDRESSES": False,
    "HRIS_ALLOW_HTTP": False,
    # Fernet keys (newest first) encrypting destination secrets; empty: derived from
    # SECRET_KEY. Rotate by putting a new key first and keeping the old one after it.
    "HRIS_SECRET_KEYS": [],
}
OUTBOX_SWEEP_SCHEDULE_ENTRY = "credential_app.sweep_outbox"


def _schedule_outbox_sweep(settings):
    """Sweep due HRIS outbox rows from Celery beat, so a lost task message never loses a
    record. Without beat, run ``manage.py deliver_outbox --loop``."""
    _add_beat_entry(settings, OUTBOX_SWEEP_SCHEDULE_ENTRY, SWEEP_OUTBOX_TASK,
                    timedelta(seconds=settings.CREDENTIAL_APP["HRIS_SWEEP_SECONDS"]))
