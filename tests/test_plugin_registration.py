"""Installing the package registers the XBlock and the Open edX Django app plugin."""
import ast
import importlib.metadata
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import URLResolver, reverse
from edx_django_utils.plugins import get_plugin_apps, get_plugin_url_patterns
from xblock.core import XBlock

from credential_app import task_names
from credential_app.lib import public_urls
from credential_app.settings import common, production

ROOT = Path(__file__).resolve().parent.parent


def entry_point(group, name):
    matches = [ep for ep in importlib.metadata.entry_points(group=group) if ep.name == name]
    assert len(matches) == 1, f"{group}:{name} registered {len(matches)} times"
    return matches[0]


def test_xblock_entry_point_loads_the_block():
    block_class = entry_point("xblock.v1", "credential_assessment").load()
    assert block_class.__name__ == "CredentialAssessmentBlock"
    assert XBlock.load_class("credential_assessment") is block_class
    assert block_class.has_score


@pytest.mark.parametrize("project", ["lms.djangoapp", "cms.djangoapp"])
def test_django_app_is_an_open_edx_plugin(project):
    app_config = entry_point(project, "credential_app").load()
    assert app_config.name == "credential_app"
    assert "credential_app.apps.CredentialAppConfig" in get_plugin_apps(project)


def _routes(patterns, prefix=""):
    """(route, URLPattern) of every view under ``patterns``, includes walked."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern


SAMPLE_BY_CONVERTER = {"UUIDConverter": "5f0c3b9e-6a36-4d36-9a0e-0d3c2f0b8f11",
                       "DatabaseIdConverter": 7, "SlugConverter": "overview",
                       "StringConverter": "platform"}


def test_the_lms_mounts_every_url_under_one_prefix_and_studio_none():
    lms = [route for route, _view in _routes(get_plugin_url_patterns("lms.djangoapp"))]
    assert len(lms) > 30
    assert [route for route in lms if not route.startswith("credential-app/")] == []
    assert get_plugin_url_patterns("cms.djangoapp") == []


def test_public_addresses_are_reversed_as_the_lms_mounts_the_app():
    """Studio, workers and commands name the LMS's pages through ``lms_urls``: the same
    paths as the LMS's own URLconf (here the demo's, mounted by the platform's loader)."""
    named = [view for _route, view in _routes(get_plugin_url_patterns("lms.djangoapp"))
             if view.name]
    assert len(named) > 30
    for view in named:
        kwargs = {key: SAMPLE_BY_CONVERTER[type(converter).__name__]
                  for key, converter in view.pattern.converters.items()}
        assert public_urls.lms_path(view.name, **kwargs) == \
            reverse(f"credential_app:{view.name}", kwargs=kwargs)
        assert public_urls.lms_path(view.name, **kwargs).startswith("/credential-app/")


def test_plugin_settings_and_urls_are_applied_as_in_the_lms():
    assert settings.CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"] == 50_000
    # Django finds the app's templates inside the app (its templates/ folder).
    template = get_template("credential_app/badge_page.html")
    assert Path(template.origin.name) == (
        ROOT / "credential_app/templates/credential_app/badge_page.html")
    assert reverse("credential_app:my-credentials") == "/credential-app/api/v1/me/credentials/"
    assert reverse("credential_app:learner-credentials") == "/credential-app/credentials/"


def test_production_settings_take_operator_values():
    lms = SimpleNamespace(ENV_TOKENS={"CREDENTIAL_APP": {"MAX_EVIDENCE_TEXT_LENGTH": 9}})
    common.plugin_settings(lms)
    production.plugin_settings(lms)
    assert lms.CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"] == 9


def test_a_deployment_yaml_naming_one_key_keeps_every_other_default():
    """edx-platform reads the YAML into the settings before the plugin's production settings
    run: ``CREDENTIAL_APP: {CLAIM_MINUTES: 10}`` has replaced the whole dict by then."""
    lms = SimpleNamespace()
    common.plugin_settings(lms)
    lms.CREDENTIAL_APP = {"CLAIM_MINUTES": 10}  # the YAML, read in
    production.plugin_settings(lms)
    assert lms.CREDENTIAL_APP["CLAIM_MINUTES"] == 10
    assert lms.CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"] == 50_000
    assert lms.CREDENTIAL_APP["HRIS_SWEEP_SECONDS"] == common.HRIS_DEFAULTS["HRIS_SWEEP_SECONDS"]


def test_the_apps_tasks_go_to_a_queue_of_their_own_when_one_is_named():
    """Open edX's router reads EXPLICIT_QUEUES; a Celery app with the CELERY namespace (the
    demo's) reads CELERY_TASK_ROUTES: both send every task of the app to the queue, and a
    route the operator already gave a task stays."""
    from celery import Celery

    own = {"queue": "edx.lms.core.high"}
    lms = SimpleNamespace(TEMPLATES=[], EXPLICIT_QUEUES={task_names.SIGN_BADGE_TASK: own})
    common.plugin_settings(lms)
    assert set(lms.EXPLICIT_QUEUES) == {task_names.SIGN_BADGE_TASK}  # no queue named yet
    lms.CREDENTIAL_APP = {"CELERY_QUEUE": "credentials"}  # the deployment's YAML, read in
    production.plugin_settings(lms)
    assert lms.EXPLICIT_QUEUES == {task: {"queue": "credentials"}
                                   for task in task_names.ALL_TASKS} | {
        task_names.SIGN_BADGE_TASK: own}
    app = Celery(set_as_current=False)
    app.conf.task_routes = lms.CELERY_TASK_ROUTES
    assert app.amqp.router.route({}, task_names.DELIVER_TASK)["queue"].name == "credentials"
    assert app.amqp.router.route({}, "lms.other_task")["queue"].name == "celery"


def test_every_task_of_the_app_is_one_a_queue_of_its_own_receives():
    from demo.celery import app

    app.loader.import_default_modules()
    ours = {name for name in app.tasks if name.startswith("credential_app.")}
    assert ours == set(task_names.ALL_TASKS)


def test_xblock_uses_only_the_public_api_of_the_app():
    """The one boundary: credential_xblock imports credential_app.api and .data, nothing else."""
    imported = set()
    for path in (ROOT / "credential_xblock").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            module = getattr(node, "module", None) or ""
            if isinstance(node, ast.ImportFrom) and module.startswith("credential_app"):
                imported.update(f"{module}.{a.name}" if module == "credential_app" else module
                                for a in node.names)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names if a.name.startswith("credential_app"))
    assert imported <= {"credential_app.api", "credential_app.data"}, imported


def test_my_credentials_needs_a_signed_in_user(client):
    response = client.get(reverse("credential_app:my-credentials"))
    assert response.status_code == 401  # REST API: no redirect to a sign-in page
