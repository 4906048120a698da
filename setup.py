"""Packaging for the assessed micro-credentials plugin: two packages, each carrying its own
files (the block's ``static/`` and ``templates/``, loaded by XBlock's ResourceLoader; the
app's ``templates/credential_app/`` and ``locale/``, found by Django as any app's; the
source catalogues of both in ``conf/locale/``, where openedx-translations collects them)."""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def version():
    """Single-source the version from the XBlock package."""
    text = (HERE / "credential_xblock" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def base_requirements():
    """Unpinned runtime requirements, from requirements/base.in."""
    lines = (HERE / "requirements" / "base.in").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()
            and not line.startswith("-")]


setup(
    name="openedx-assessed-credentials",
    version=version(),
    description="Practical-assessment XBlock and credential engine for Open edX",
    long_description=(HERE / "README.md").read_text(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.12",
    packages=find_packages(include=["credential_xblock", "credential_xblock.*",
                                    "credential_app", "credential_app.*"]),
    package_data={
        # conf/locale: the source catalogues (OEP-58) and any compiled ones; the app's
        # locale/ is the same folder (a link), where Django looks for an app's catalogues.
        "credential_xblock": ["static/**/*", "templates/*.html", "conf/locale/**/*"],
        "credential_app": ["templates/**/*", "conf/locale/**/*", "locale/**/*"],
        "credential_app.openbadges": ["jsonld_contexts/*"],
    },
    include_package_data=True,
    install_requires=base_requirements(),
    entry_points={
        "xblock.v1": [
            "credential_assessment = credential_xblock.block:CredentialAssessmentBlock",
        ],
        "lms.djangoapp": [
            "credential_app = credential_app.apps:CredentialAppConfig",
        ],
        "cms.djangoapp": [
            "credential_app = credential_app.apps:CredentialAppConfig",
        ],
        # HRIS connector plug-ins (credential_app/hris/connectors); operators add their own.
        "credential_app.hris_connectors": [
            "webhook = credential_app.hris.connectors.webhook:StandardWebhookConnector",
            "sap_successfactors = "
            "credential_app.hris.connectors.successfactors:SuccessFactorsConnector",
            "xapi = credential_app.hris.connectors.xapi:XapiConnector",
        ],
        # Workplace outcome pull connectors (credential_app/workplace/connectors).
        "credential_app.outcome_connectors": [
            "json_feed = credential_app.workplace.connectors.json_feed:JsonFeedConnector",
        ],
    },
    # The Open edX release it targets: Verawood (Python 3.12, Django 5.2; Tutor 22, see
    # tutor-contrib-assessed-credentials/). PyPI has no Open edX classifier: keywords say it.
    keywords="Open edX, Verawood, XBlock, credentials, Open Badges",
    classifiers=[
        "Environment :: Web Environment",
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.12",
    ],
)
