"""Tutor plugin: installs the assessed micro-credentials plugin into the Open edX image and
runs it as it needs to run (settings, secrets, a worker with beat, init tasks).

Every setting Tutor manages is ``ASSESSED_CREDENTIALS_*`` in Tutor's configuration; see
``tutor config printvalue`` and the main README, section "Install on Open edX with Tutor".
"""
from importlib.resources import files

from tutor import hooks

from tutorassessedcredentials import __version__, keys

NAME = "assessed-credentials"
PACKAGE = files("tutorassessedcredentials")

hooks.Filters.CONFIG_DEFAULTS.add_items([
    ("ASSESSED_CREDENTIALS_VERSION", __version__),
    # What pip installs into the openedx image: the distribution, a pinned version, a wheel
    # URL or a VCS URL ("openedx-assessed-credentials @ git+https://...@v0.1.0").
    ("ASSESSED_CREDENTIALS_PIP_REQUIREMENT", "openedx-assessed-credentials"),
    # The address verifiers reach: issuer did:web, status lists and links inside credentials.
    ("ASSESSED_CREDENTIALS_PUBLIC_BASE_URL",
     "{% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ LMS_HOST }}"),
    # The Celery queue of the app's tasks, and the worker (with beat) that consumes it.
    ("ASSESSED_CREDENTIALS_CELERY_QUEUE", "edx.lms.core.assessed_credentials"),
    ("ASSESSED_CREDENTIALS_WORKER_CONCURRENCY", 2),
    # Where learners' evidence files are kept: a private storage (never served as media).
    ("ASSESSED_CREDENTIALS_EVIDENCE_STORAGE", {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/openedx/media-private/assessed-credentials-evidence"},
    }),
    # Keys that signed earlier badges (entries as in CREDENTIAL_APP["SIGNING_KEYS"]) and
    # earlier HRIS secret keys, kept after a rotation so what they protect still works.
    ("ASSESSED_CREDENTIALS_PREVIOUS_SIGNING_KEYS", []),
    ("ASSESSED_CREDENTIALS_PREVIOUS_HRIS_SECRET_KEYS", []),
    # Any other CREDENTIAL_APP key, e.g. {"CLAIM_MINUTES": 45}; these win over the above.
    ("ASSESSED_CREDENTIALS_SETTINGS", {}),
    # Let the LMS database user create the audit trail's triggers (init task on MySQL).
    ("ASSESSED_CREDENTIALS_GRANT_TRIGGERS", True),
])

# Made once per installation by `tutor config save` and kept in config.yml.
hooks.Filters.CONFIG_UNIQUE.add_items([
    ("ASSESSED_CREDENTIALS_SIGNING_KEY_ID", "tutor-ed25519-{{ 8|random_string }}"),
    ("ASSESSED_CREDENTIALS_SIGNING_KEY", "{{ None|assessed_credentials_ed25519_key }}"),
    ("ASSESSED_CREDENTIALS_RSA_SIGNING_KEY_ID", "tutor-rsa-{{ 8|random_string }}"),
    ("ASSESSED_CREDENTIALS_RSA_SIGNING_KEY", "{{ 3072|rsa_private_key }}"),
    ("ASSESSED_CREDENTIALS_HRIS_SECRET_KEY", "{{ None|assessed_credentials_fernet_key }}"),
])

hooks.Filters.ENV_TEMPLATE_FILTERS.add_items([
    ("assessed_credentials_ed25519_key", keys.ed25519_private_multikey),
    ("assessed_credentials_fernet_key", keys.fernet_key),
    ("assessed_credentials_python", keys.python_literal),
])

# Settings, the image, the worker: one file per Tutor patch, named after it.
for path in (PACKAGE / "patches").iterdir():
    if path.is_file():
        hooks.Filters.ENV_PATCHES.add_item((path.name, path.read_text(encoding="utf-8")))

# Init tasks (`tutor local do init`, `tutor k8s do init`): after Tutor's own (LOW priority),
# the database grant first, then the app's migrations and the audit trail's check.
TASKS = PACKAGE / "templates" / NAME / "tasks"
for service in ("mysql", "lms"):
    hooks.Filters.CLI_DO_INIT_TASKS.add_item(
        (service, (TASKS / service / "init.sh").read_text(encoding="utf-8")),
        priority=hooks.priorities.LOW)
