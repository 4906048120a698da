"""Defaults every LMS and Studio get when the plugin is installed."""
from datetime import timedelta

from credential_app.task_names import (
    ALL_TASKS,
    EXPIRE_TASK,
    PULL_OUTCOMES_TASK,
    REFRESH_INDICATORS_TASK,
    SWEEP_OUTBOX_TASK,
)

SWAGGER_UI_APP = "drf_spectacular_sidecar"


# Each key of ``CREDENTIAL_APP`` is annotated for Open edX's settings documentation (OEP-30
# code annotations: setting_name, setting_default, setting_description);
# tests/test_annotations.py checks that every key the app reads is.
DEFAULTS = {
    # .. setting_name: CREDENTIAL_APP["ACCEPT_DID_KEY_ISSUERS"]
    # .. setting_default: False
    # .. setting_description: Verify credentials whose issuer is a did:key (anyone can make
    #   one), labelled as signed by an issuer this site does not know; off, they are refused
    #   as unknown_issuer, so the public verifier vouches only for issuers it can name.
    "ACCEPT_DID_KEY_ISSUERS": False,
    # .. setting_name: CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"]
    # .. setting_default: 50000
    # .. setting_description: Largest text evidence (characters) any unit may accept,
    #   whatever its own setting.
    "MAX_EVIDENCE_TEXT_LENGTH": 50_000,
    # .. setting_name: CREDENTIAL_APP["CLAIM_MINUTES"]
    # .. setting_default: 30
    # .. setting_description: Minutes an assessor's claim on an attempt keeps other assessors
    #   from scoring it.
    "CLAIM_MINUTES": 30,
    # .. setting_name: CREDENTIAL_APP["EVIDENCE_STORAGE"]
    # .. setting_default: "default"
    # .. setting_description: Alias in STORAGES of the storage that keeps learners' evidence
    #   files; point it at a private bucket or folder (files are only served through the
    #   block's checked handler).
    "EVIDENCE_STORAGE": "default",
    # .. setting_name: CREDENTIAL_APP["MAX_EVIDENCE_FILE_SIZE"]
    # .. setting_default: 104857600 (100 MiB)
    # .. setting_description: Largest evidence file (bytes) any unit may accept, whatever its
    #   own setting.
    "MAX_EVIDENCE_FILE_SIZE": 100 * 1024 * 1024,
    # .. setting_name: CREDENTIAL_APP["CREDENTIALS_PAGE_URL"]
    # .. setting_default: None
    # .. setting_description: Where the block links learners for the credentials they hold;
    #   None: the app's own page.
    "CREDENTIALS_PAGE_URL": None,
    # .. setting_name: CREDENTIAL_APP["LEGACY_ROOT_URLS"]
    # .. setting_default: False
    # .. setting_description: Also answer at the root addresses of earlier versions
    #   (/badges/..., /openbadges/..., /credentials/): old public badge links redirect, old
    #   issuer DIDs resolve (docs/decisions/0011). Off: every URL of the app starts with
    #   /credential-app/.
    "LEGACY_ROOT_URLS": False,
    # .. setting_name: CREDENTIAL_APP["CATALOGUE_ACCESS"]
    # .. setting_default: "public"
    # .. setting_description: Who may browse the credential catalogue (/credential-app/
    #   catalogue/): "public" (anyone, no sign-in) or "signed_in".
    "CATALOGUE_ACCESS": "public",
    # .. setting_name: CREDENTIAL_APP["UNIT_URL"]
    # .. setting_default: "{lms_root}/courses/{course_key}/jump_to/{usage_key}"
    # .. setting_description: Where a learner opens an assessment unit, for the "next unit"
    #   links of their pathway progress; {lms_root} is LMS_ROOT_URL.
    "UNIT_URL": "{lms_root}/courses/{course_key}/jump_to/{usage_key}",
    # .. setting_name: CREDENTIAL_APP["PAGE_BASE_TEMPLATE"]
    # .. setting_default: "credential_app/base.html"
    # .. setting_description: Template the app's pages extend (blocks "title" and
    #   "content"), to give them the site's header and footer.
    "PAGE_BASE_TEMPLATE": "credential_app/base.html",
    # .. setting_name: CREDENTIAL_APP["REPORTS_ALPHA_METRIC"]
    # .. setting_default: "ordinal"
    # .. setting_description: Krippendorff's alpha metric for assessor agreement in the
    #   reports: "ordinal", "interval" or "nominal".
    "REPORTS_ALPHA_METRIC": "ordinal",
    # .. setting_name: CREDENTIAL_APP["REPORTS_DRIFT_ALPHA"]
    # .. setting_default: 0.667
    # .. setting_description: Drift alert: an assessor whose alpha against the others is
    #   below this (and REPORTS_DRIFT_MARGIN below the others' own) is flagged.
    "REPORTS_DRIFT_ALPHA": 0.667,
    # .. setting_name: CREDENTIAL_APP["REPORTS_DRIFT_MARGIN"]
    # .. setting_default: 0.2
    # .. setting_description: Drift alert: how far below the others' alpha among themselves
    #   an assessor's alpha must be to be flagged.
    "REPORTS_DRIFT_MARGIN": 0.2,
    # .. setting_name: CREDENTIAL_APP["REPORTS_DRIFT_MIN_PAIRS"]
    # .. setting_default: 20
    # .. setting_description: Drift alert: the fewest criterion scores an assessor must share
    #   with the others before being judged.
    "REPORTS_DRIFT_MIN_PAIRS": 20,
    # .. setting_name: CREDENTIAL_APP["WORKPLACE_MIN_GROUP"]
    # .. setting_default: 5
    # .. setting_description: Workplace outcomes: any figure over fewer people than this
    #   (holders or their matched comparison group) is suppressed, never shown.
    "WORKPLACE_MIN_GROUP": 5,
    # .. setting_name: CREDENTIAL_APP["WORKPLACE_CONTROLS_PER_HOLDER"]
    # .. setting_default: 3
    # .. setting_description: Workplace outcomes: most comparison employees matched to each
    #   credential holder (exact matching on role, site, hire-date band, prior performance).
    "WORKPLACE_CONTROLS_PER_HOLDER": 3,
    # .. setting_name: CREDENTIAL_APP["WORKPLACE_WEBHOOK_RATE"]
    # .. setting_default: "300/minute"
    # .. setting_description: Workplace outcomes: inbound webhook requests accepted per client
    #   address (a DRF throttle rate).
    "WORKPLACE_WEBHOOK_RATE": "300/minute",

    # --- Open Badges 3.0 ---
    # .. setting_name: CREDENTIAL_APP["PUBLIC_BASE_URL"]
    # .. setting_default: None
    # .. setting_description: The https address verifiers reach this site at: the issuer's
    #   did:web, status lists and links inside credentials depend on it; None: LMS_ROOT_URL.
    # .. setting_warning: Changing it changes every issuer's did:web; credentials issued
    #   before keep naming the old one.
    "PUBLIC_BASE_URL": None,
    # .. setting_name: CREDENTIAL_APP["SIGNING_KEYS"]
    # .. setting_default: None
    # .. setting_description: Badge signing keys, newest first: the first Ed25519 key signs
    #   Data Integrity proofs, the first RSA key, if any, signs VC-JWTs (RS256); the others
    #   keep verifying. See credential_app/openbadges/keys.py for the entries' form.
    # .. setting_warning: A secret: never in the database or the logs; keep retired keys
    #   listed (public half at least) so what they signed keeps verifying.
    "SIGNING_KEYS": None,
    # .. setting_name: CREDENTIAL_APP["SIGNING_KEYS_FILE"]
    # .. setting_default: None
    # .. setting_description: Path of a JSON file (mode 0600) holding the SIGNING_KEYS list,
    #   read when SIGNING_KEYS is empty (manage.py create_badge_signing_key writes it).
    "SIGNING_KEYS_FILE": None,
    # .. setting_name: CREDENTIAL_APP["BADGE_SIGNING"]
    # .. setting_default: "celery"
    # .. setting_description: Who signs a badge once its award commits (never the request
    #   that awarded it): "celery" (a task), "thread" (a background thread per process, the
    #   demo), "inline" (at once, after commit) or "on_demand" (when first needed: its page,
    #   downloads, the API, an HRIS delivery).
    "BADGE_SIGNING": "celery",
    # .. setting_name: CREDENTIAL_APP["STATUS_LIST_SIZE"]
    # .. setting_default: 131072
    # .. setting_description: Bits per revocation status list (at least 131072, the
    #   specification's 16 KB minimum).
    "STATUS_LIST_SIZE": 131_072,
    # .. setting_name: CREDENTIAL_APP["VERIFY_MAX_BYTES"]
    # .. setting_default: 2097152 (2 MiB)
    # .. setting_description: Largest credential (bytes) the public verify endpoint and page
    #   accept.
    "VERIFY_MAX_BYTES": 2 * 1024 * 1024,
    # .. setting_name: CREDENTIAL_APP["VERIFY_RATE"]
    # .. setting_default: "120/minute"
    # .. setting_description: Requests per client address the public verify endpoint and
    #   page accept.
    "VERIFY_RATE": "120/minute",
    # .. setting_name: CREDENTIAL_APP["CELERY_QUEUE"]
    # .. setting_default: None
    # .. setting_description: Celery queue the app's tasks are sent to (a delivery runs up to
    #   HRIS_TASK_SECONDS); None: the platform's default queue.
    # .. setting_warning: A worker must consume that queue (the Tutor plugin runs one).
    "CELERY_QUEUE": None,
}


def plugin_settings(settings):
    """Add the plugin's defaults; an operator's own values always win."""
    with_defaults(settings)
    _add_swagger_ui(settings)
    _schedule_expiry(settings)
    _schedule_outbox_sweep(settings)
    _schedule_workplace_outcomes(settings)
    follow_app_settings(settings)


def follow_app_settings(settings):
    """The settings that follow from ``CREDENTIAL_APP`` (the queue of the app's tasks). Run
    again whenever ``CREDENTIAL_APP`` changes after the plugin's common settings: a
    production YAML, a Tutor settings patch."""
    _route_tasks(settings)


def _route_tasks(settings):
    """Send the app's tasks to ``CREDENTIAL_APP["CELERY_QUEUE"]`` when one is named.

    Open edX routes through ``EXPLICIT_QUEUES`` (read by the router its ``CELERY_ROUTES``
    names); ``CELERY_TASK_ROUTES`` serves a Celery app configured with the ``CELERY``
    namespace (the demo's). A route the operator gave a task already wins.
    """
    queue = settings.CREDENTIAL_APP.get("CELERY_QUEUE")
    if not queue:
        return
    explicit = dict(getattr(settings, "EXPLICIT_QUEUES", None) or {})
    routes = dict(getattr(settings, "CELERY_TASK_ROUTES", None) or {})
    for task in ALL_TASKS:
        explicit.setdefault(task, {"queue": queue})
        routes.setdefault(task, {"queue": queue})
    settings.EXPLICIT_QUEUES = explicit
    settings.CELERY_TASK_ROUTES = routes


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
    # .. setting_name: CREDENTIAL_APP["HRIS_DELIVERY"]
    # .. setting_default: "celery"
    # .. setting_description: How HRIS delivery starts after an event commits: "celery" (a
    #   task per destination; the beat sweep is the safety net), "thread" (a sweeper thread
    #   in the web process, the embedded default) or "none" (manage.py deliver_outbox only).
    "HRIS_DELIVERY": "celery",
    # .. setting_name: CREDENTIAL_APP["HRIS_SWEEP_SECONDS"]
    # .. setting_default: 60
    # .. setting_description: Seconds between sweeps of due outbox rows (the beat entry
    #   credential_app.sweep_outbox, deliver_outbox --loop, the thread mode).
    "HRIS_SWEEP_SECONDS": 60,
    # .. setting_name: CREDENTIAL_APP["HRIS_TASK_SECONDS"]
    # .. setting_default: 55
    # .. setting_description: Longest one delivery task or sweep works before handing over
    #   to the next.
    "HRIS_TASK_SECONDS": 55,
    # .. setting_name: CREDENTIAL_APP["HRIS_LEASE_MARGIN_SECONDS"]
    # .. setting_default: 30
    # .. setting_description: Added to a batch's worst-case time to give its lease: after
    #   that, rows a killed worker held are delivered by another.
    "HRIS_LEASE_MARGIN_SECONDS": 30,
    # .. setting_name: CREDENTIAL_APP["HRIS_ALLOW_PRIVATE_ADDRESSES"]
    # .. setting_default: False
    # .. setting_description: Let HRIS destinations be on private, loopback or link-local
    #   addresses (the demo and the tests).
    # .. setting_warning: On, an admin could point deliveries inside your network (SSRF).
    "HRIS_ALLOW_PRIVATE_ADDRESSES": False,
    # .. setting_name: CREDENTIAL_APP["HRIS_ALLOW_HTTP"]
    # .. setting_default: False
    # .. setting_description: Let HRIS destinations use plain http:// (the demo and tests).
    # .. setting_warning: On, signed records and credentials travel unencrypted.
    "HRIS_ALLOW_HTTP": False,
    # .. setting_name: CREDENTIAL_APP["HRIS_SECRET_KEYS"]
    # .. setting_default: []
    # .. setting_description: Fernet keys, newest first, encrypting the destinations'
    #   secrets; empty: a key derived from SECRET_KEY. Rotate by putting a new key first and
    #   keeping the old one after it.
    # .. setting_warning: A secret; losing every key that encrypted a destination's secrets
    #   means entering those secrets again.
    "HRIS_SECRET_KEYS": [],
}
OUTBOX_SWEEP_SCHEDULE_ENTRY = "credential_app.sweep_outbox"


def _schedule_outbox_sweep(settings):
    """Sweep due HRIS outbox rows from Celery beat, so a lost task message never loses a
    record. Without beat, run ``manage.py deliver_outbox --loop``."""
    _add_beat_entry(settings, OUTBOX_SWEEP_SCHEDULE_ENTRY, SWEEP_OUTBOX_TASK,
                    timedelta(seconds=settings.CREDENTIAL_APP["HRIS_SWEEP_SECONDS"]))


PULL_OUTCOMES_SCHEDULE_ENTRY = "credential_app.pull_workplace_outcomes"
REFRESH_INDICATORS_SCHEDULE_ENTRY = "credential_app.refresh_workplace_indicators"


def _schedule_workplace_outcomes(settings):
    """Pull employers' outcome events hourly and recompute the workplace indicators daily
    from Celery beat. Without beat, run ``manage.py pull_workplace_outcomes`` and
    ``manage.py refresh_workplace_indicators`` from cron."""
    _add_beat_entry(settings, PULL_OUTCOMES_SCHEDULE_ENTRY, PULL_OUTCOMES_TASK,
                    timedelta(hours=1))
    _add_beat_entry(settings, REFRESH_INDICATORS_SCHEDULE_ENTRY, REFRESH_INDICATORS_TASK,
                    timedelta(days=1))
