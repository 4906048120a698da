"""The built wheel carries each package's own files and renders the learner view on its own.

Builds the wheel, installs it into a brand-new virtual environment (outside this
checkout, so nothing leaks in from the source tree) and renders the block there.
"""
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from bench.source_tree import ROOT, copy_source_tree

RENDER_SCRIPT = textwrap.dedent('''
    import json, sys
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "workbench",
                        "submissions", "credential_app"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        WORKBENCH={"services": {"user": "signed_in_learner.LearnerService"}},
        USE_TZ=True,
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                    "APP_DIRS": True}],
    )
    from credential_app.settings.common import plugin_settings
    plugin_settings(settings)
    django.setup()
    from django.template.loader import get_template
    app_template = get_template("credential_app/badge_page.html").origin.name
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    get_user_model().objects.create_user("learner", first_name="Lee")

    import credential_app, credential_xblock
    from credential_xblock.demo_scenarios import SAFETY_WALKTHROUGH
    from workbench.runtime import WorkbenchRuntime

    runtime = WorkbenchRuntime("learner")
    block = runtime.get_block(runtime.parse_xml_string(SAFETY_WALKTHROUGH))
    fragment = block.render("student_view", {})
    from credential_app.openbadges import jsonld
    nquads = jsonld.Canonicalizer().canonicalize({
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:example.org", "type": ["Profile"]},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "urn:uuid:2", "type": ["Achievement"], "name": "A"}}})
    print(json.dumps({
        "nquads": nquads,
        "html": fragment.body_html(),
        "resources": [r.data for r in fragment.resources],
        "files": [m.__file__ for m in (credential_xblock, credential_app)]
                 + [app_template],
    }))
''')

USER_SERVICE = textwrap.dedent('''
    from xblock.reference.user_service import UserService, XBlockUser

    class LearnerService(UserService):
        def get_current_user(self):
            from django.contrib.auth import get_user_model
            user = get_user_model().objects.get(username="learner")
            xblock_user = XBlockUser(is_current_user=True, full_name=user.first_name)
            xblock_user.opt_attrs["edx-platform.user_id"] = user.pk
            return xblock_user
''')


def run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    source = copy_source_tree(tmp_path_factory.mktemp("source") / "tree")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", str(out), str(source))
    (path,) = out.glob("openedx_assessed_credentials-*.whl")
    return path


def test_wheel_ships_assets_templates_migrations_and_entry_points(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names
                            if n.endswith("entry_points.txt"))
    for required in ("credential_xblock/static/js/assessment.js",
                     "credential_xblock/static/css/assessment.css",
                     "credential_xblock/templates/assessment.html",
                     "credential_xblock/templates/evidence_list.html",
                     "credential_app/templates/credential_app/badge_page.html",
                     "credential_app/templates/credential_app/badges/default_badge.svg",
                     "credential_app/templates/credential_app/api_explorer.js",
                     # the source catalogues (OEP-58), and the app's where Django looks
                     "credential_xblock/conf/locale/en/LC_MESSAGES/django.po",
                     "credential_xblock/conf/locale/en/LC_MESSAGES/djangojs.po",
                     "credential_app/conf/locale/en/LC_MESSAGES/django.po",
                     "credential_app/locale/en/LC_MESSAGES/django.po",
                     "credential_app/migrations/0001_initial.py",
                     # JSON-LD contexts for offline signing, with their licences
                     "credential_app/openbadges/jsonld_contexts/credentials-v2.jsonld",
                     "credential_app/openbadges/jsonld_contexts/ob-v3p0-3.0.3.json",
                     "credential_app/openbadges/jsonld_contexts/data-integrity-v2.jsonld",
                     "credential_app/openbadges/jsonld_contexts/multikey-v1.jsonld",
                     "credential_app/openbadges/jsonld_contexts/did-v1.jsonld",
                     "credential_app/openbadges/jsonld_contexts/jws-2020-v1.jsonld",
                     "credential_app/openbadges/jsonld_contexts/LICENSE-W3C.md",
                     "credential_app/openbadges/jsonld_contexts/LICENSE-Apache-2.0.txt"):
        assert required in names
    assert not any(n.startswith(("tests/", "demo/")) for n in names)
    # Only our two packages at the top of site-packages (no generic "static"/"templates").
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {
        "credential_app", "credential_xblock"}
    # The unauthenticated demo HR server stays in demo/: an installed wheel never carries it.
    assert not any("simulator" in n for n in names)
    for line in ("credential_assessment = credential_xblock.block:CredentialAssessmentBlock",
                 "credential_app = credential_app.apps:CredentialAppConfig",
                 "webhook = credential_app.hris.connectors.webhook:StandardWebhookConnector",
                 "sap_successfactors = "
                 "credential_app.hris.connectors.successfactors:SuccessFactorsConnector",
                 "xapi = credential_app.hris.connectors.xapi:XapiConnector"):
        assert line in entry_points
    assert "[lms.djangoapp]" in entry_points and "[cms.djangoapp]" in entry_points


def test_wheel_states_the_supported_platform_and_leaves_web_fragments_to_it(wheel):
    """Ulmo and later: Django 5.2, XBlock from 5.3. XBlock 6.2+ carries ``web_fragments``
    itself; a separate web-fragments distribution would overwrite its files."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(archive.read(n).decode() for n in archive.namelist()
                        if n.endswith(".dist-info/METADATA"))
    requires = {line.split(":", 1)[1].strip().lower() for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")}
    assert "django<6,>=5.2" in requires
    assert "xblock<7,>=5.3" in requires
    assert "edx-submissions<5,>=3.11" in requires
    assert not any(r.startswith("web-fragments") for r in requires)
    # Nothing the plugin does not use at run time: the Celery broker's client is the
    # platform's choice, edx-django-utils' plugin loader runs in the platform, not here.
    assert not any(r.startswith(("redis", "edx-django-utils")) for r in requires)


@pytest.mark.packaging
def test_learner_view_renders_from_a_fresh_install_of_the_wheel(wheel, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    # uv resolves and installs as pip would, from the same index, in seconds once its cache
    # (uv's default, shared by every run) holds the packages.
    run(str(Path(sys.executable).with_name("uv")), "pip", "install", "--quiet", "--python",
        str(python), str(wheel), "xblock-sdk", "-c", str(ROOT / "requirements" / "test.txt"))
    (tmp_path / "render.py").write_text(RENDER_SCRIPT)
    (tmp_path / "signed_in_learner.py").write_text(USER_SERVICE)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV")}

    rendered = json.loads(run(str(python), "render.py", cwd=tmp_path, env=env))

    assert all(path.startswith(str(venv)) for path in rendered["files"]), rendered["files"]
    assert "Walk through a real workspace" in rendered["html"]
    assert "Hazard identification" in rendered["html"]
    assert "Describe what you did" in rendered["html"]  # signed-in learner gets the form
    # the installed package canonicalises an Open Badge with its own shipped contexts
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement>" in rendered["nquads"]
    resources = "\n".join(rendered["resources"])
    assert "function CredentialAssessmentBlock" in resources
    assert ".credential-assessment" in resources
