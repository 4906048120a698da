"""Settings of the demo workbench (and of the test suite, which runs against it).

Database: SQLite at ``var/demo.sqlite3`` by default. ``CREDENTIAL_DB=mysql`` uses
MariaDB/MySQL through PyMySQL; ``CREDENTIAL_DB_HOST``, ``_PORT``, ``_USER``,
``_PASSWORD`` and ``_NAME`` override 127.0.0.1, 3306, root, (empty) and
``credential``.
"""
import os
from pathlib import Path

from edx_django_utils.plugins import add_plugins
from workbench.settings import *  # noqa: F403 (the workbench is the base project)
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES, WORKBENCH

from demo import badge_keys, jwt_keys
from demo.databases import mysql_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CREDENTIAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Where `make demo` serves (DEMO_HOST, DEMO_PORT, exported by the Makefile): the public
# address badges name (did:web, status lists, evidence) unless CREDENTIAL_PUBLIC_BASE_URL
# says otherwise. A wildcard host serves loopback too, so links use that.
_DEMO_HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
_DEMO_HOST = "127.0.0.1" if _DEMO_HOST in ("", "0.0.0.0", "::") else _DEMO_HOST  # noqa: S104
DEMO_ADDRESS = (f"http://{f'[{_DEMO_HOST}]' if ':' in _DEMO_HOST else _DEMO_HOST}"
                f":{os.environ.get('DEMO_PORT', '8000')}")

SECRET_KEY = os.environ.get("DEMO_SECRET_KEY", "demo-only-not-secret-7f3c1e9a")
DEBUG = os.environ.get("DEMO_DEBUG", "true").lower() == "true"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
TIME_ZONE = "UTC"

if os.environ.get("CREDENTIAL_DB", "sqlite") == "mysql":
    DATABASES = {
        "default": {
            **mysql_database(os.environ.get("CREDENTIAL_DB_NAME", "credential")),
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "demo.sqlite3"),
            # Two processes (gunicorn's workers, each with its HRIS sweeper) write to one
            # file: a transaction that reads then writes must take the write lock when it
            # begins, or SQLite refuses the upgrade at once ("database is locked") instead
            # of waiting up to the timeout.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

INSTALLED_APPS = [*INSTALLED_APPS, "credential_app", "demo",
                  "submissions"]  # edx-submissions: learners' course scores, as in the LMS
MIDDLEWARE = [*MIDDLEWARE, "demo.middleware.DemoSignInMiddleware",
              "demo.hris_sweeper.StartHrisSweeperMiddleware"]
ROOT_URLCONF = "demo.urls"
LOGIN_URL = "/demo/sign-in/"

# Only this product's block in the workbench's list, not the SDK's samples.
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs",
    "helloworld_demo", "html_demo", "problem_demo", "sidebar_demo", "slider_demo",
    "textinput_demo", "thumbs", "view_counter_demo",
}

TEMPLATES[0]["DIRS"] = [str(BASE_DIR / "demo" / "templates"), *TEMPLATES[0]["DIRS"]]

# Learners' evidence files (Django's default storage): a local folder in the demo,
# never served as media (demo/urls.py answers 404 there): the block's ``evidence_file``
# handler checks who asks first.
MEDIA_ROOT = str(VAR_DIR / "media")

DJFS = {"type": "osfs", "directory_root": str(VAR_DIR / "djpyfs"), "url_root": "/static/djpyfs"}
WORKBENCH["services"]["user"] = "demo.services.DemoUserService"
# The LMS's ID verification service, played from demo data (see demo.users).
WORKBENCH["services"]["verification"] = "demo.services.DemoVerificationService"

# The workbench runtime logs each XBlock event (grades included) on this logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "workbench.runtime": {"handlers": ["console"], "level": "INFO"},
        "credential_app": {"handlers": ["console"], "level": "INFO"},
    },
}

# Settings every LMS gets from the plugin, applied the way the LMS applies them.
add_plugins(__name__, "lms.djangoapp", "common")

# Celery (demo/celery.py): Redis on localhost; the plugin adds its beat entries to
# CELERYBEAT_SCHEDULE through add_plugins above.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True
# A worker keeps its database connection from task to task (demo/celery.py closes it as a
# request's would be: after CONN_MAX_AGE, or once unusable). Celery's Django fixup otherwise
# connects anew for every task: on MariaDB through PyMySQL, more CPU than a badge's signing.
CELERY_DB_REUSE_MAX = 1000
MEDIA_URL = "/media/"


# --- REST API: DRF, and JWTs checked the way the LMS checks them ---
INSTALLED_APPS += ["rest_framework", "drf_spectacular"]  # noqa: PLE0604 (browsable API, schema)

JWT_ISSUER = f"{DEMO_ADDRESS}/oauth2"
JWT_PRIVATE_SIGNING_JWK, JWT_PUBLIC_SIGNING_JWK_SET = jwt_keys.load_or_create(VAR_DIR)
# Symmetric tokens (deprecated in Open edX, still accepted by edx-drf-extensions): a random
# secret made on first start in var/, never a value anyone can read in this repository.
JWT_SECRET = os.environ.get("DEMO_JWT_SECRET") or jwt_keys.load_or_create_secret(VAR_DIR)
JWT_AUTH = {
    # As lms/envs/common.py configures edx-drf-extensions: RS512 tokens from the LMS's
    # OAuth2 provider, sent as "Authorization: JWT <token>".
    "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_LEEWAY": 1,
    "JWT_ISSUER": JWT_ISSUER,
    "JWT_AUDIENCE": "lms-key",
    "JWT_SECRET_KEY": JWT_SECRET,
    "JWT_ISSUERS": [{"ISSUER": JWT_ISSUER, "AUDIENCE": "lms-key", "SECRET_KEY": JWT_SECRET}],
    "JWT_SIGNING_ALGORITHM": "RS512",
    "JWT_PRIVATE_SIGNING_JWK": JWT_PRIVATE_SIGNING_JWK,
    "JWT_PUBLIC_SIGNING_JWK_SET": JWT_PUBLIC_SIGNING_JWK_SET,
}
# The learner's credentials page inside the demo's own frame (sign-in bar, home link).
CREDENTIAL_APP["PAGE_BASE_TEMPLATE"] = "demo/base.html"  # noqa: F405 (set by add_plugins)
# The workbench has no courseware to jump to: a pathway's "next unit" opens its scenario list.
CREDENTIAL_APP["UNIT_URL"] = "/"  # noqa: F405


# --- HRIS delivery (issue 6): the bundled simulator listens on 127.0.0.1 (HTTPS, demo CA),
# a loopback address production refuses (SSRF rules); delivery runs in a thread of the demo
# server. Plain http:// stays refused here; the test suite allows it for its own simulators.
CREDENTIAL_APP["HRIS_ALLOW_PRIVATE_ADDRESSES"] = True  # noqa: F405
# `make demo RALPH=1` runs Ralph on plain http://127.0.0.1 and sets DEMO_LRS_HTTP=1 for it.
CREDENTIAL_APP["HRIS_ALLOW_HTTP"] = os.environ.get("DEMO_LRS_HTTP") == "1"  # noqa: F405
CREDENTIAL_APP["HRIS_DELIVERY"] = os.environ.get("CREDENTIAL_HRIS_DELIVERY", "thread")  # noqa: F405
CREDENTIAL_APP["BADGE_SIGNING"] = os.environ.get("CREDENTIAL_BADGE_SIGNING", "thread")  # noqa: F405
if os.environ.get("CREDENTIAL_HRIS_SWEEP_SECONDS"):
    CREDENTIAL_APP["HRIS_SWEEP_SECONDS"] = float(os.environ["CREDENTIAL_HRIS_SWEEP_SECONDS"])  # noqa: F405

# --- Open Badges 3.0: the demo's public address and its signing key file in var/ ---
CREDENTIAL_APP["PUBLIC_BASE_URL"] = os.environ.get(  # noqa: F405 (set by add_plugins)
    "CREDENTIAL_PUBLIC_BASE_URL", DEMO_ADDRESS)
CREDENTIAL_APP["SIGNING_KEYS_FILE"] = badge_keys.load_or_create(VAR_DIR)  # noqa: F405
