"""The Tutor plugin, rendered by Tutor itself (no Docker): ``tutor plugins enable`` and
``tutor config save`` in a fresh project root, then the files Tutor wrote are read back as
Docker Compose, Kubernetes and the platform would read them.

The settings Tutor renders for the LMS and Studio are compiled, and the plugin's part of them
is run on a module that stands for the platform's settings (the platform itself is not
installed here): what comes out is checked with the app's own code (its key parser, its
Celery routes), so a key Tutor generates in a format the app cannot read fails here.
"""
import json
import sys
import types
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ed25519, padding
from cryptography.hazmat.primitives.hashes import SHA256

from credential_app import task_names
from credential_app.openbadges import keys
from credential_app.settings import common
from tests.tutor_helpers import init_tasks, new_project, tutor

BEGIN, END = "# BEGIN assessed-credentials", "# END assessed-credentials"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return new_project(tmp_path_factory.mktemp("tutor-root"))


def config(root):
    """What Tutor keeps in config.yml: the values set or generated (not the defaults)."""
    return yaml.safe_load((root / "config.yml").read_text())


def value(root, name):
    """A configuration value as Tutor has it, default or not."""
    return tutor(root, "config", "printvalue", name).strip()


@pytest.fixture(scope="module")
def queue(project):
    return value(project, "ASSESSED_CREDENTIALS_CELERY_QUEUE")


def rendered(root, *path):
    return (root / "env" / Path(*path)).read_text()


def our_settings(source):
    """The plugin's block of a rendered settings file."""
    assert source.count(BEGIN) == 1 and source.count(END) == 1
    return source[source.index(BEGIN):source.index(END)]


def platform_settings_after(block):
    """Run the plugin's settings block on a module holding what the platform's settings hold
    by then: its storages and the app's plugin settings (defaults, beat entries)."""
    module = types.ModuleType("tutor_rendered_settings")
    module.STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    module.TEMPLATES = []
    common.plugin_settings(module)
    sys.modules[module.__name__] = module
    try:
        exec(compile(block, "production.py", "exec"), module.__dict__)  # noqa: S102
    finally:
        del sys.modules[module.__name__]
    return module


def test_the_openedx_image_installs_the_plugin(project):
    dockerfile = rendered(project, "build", "openedx", "Dockerfile")
    install = "$PIP_COMMAND install 'openedx-assessed-credentials'"
    assert install in dockerfile
    # after the platform's own requirements, so pip sees (and keeps) the platform's pins
    assert dockerfile.index("requirements/edx/base.txt") < dockerfile.index(install)


@pytest.mark.parametrize("service", ["lms", "cms"])
@pytest.mark.parametrize("kind", ["production", "development"])
def test_lms_and_studio_settings_compile_and_carry_the_plugins_settings(project, queue,
                                                                        service, kind):
    source = rendered(project, "apps", "openedx", "settings", service, f"{kind}.py")
    compile(source, f"{service}/{kind}.py", "exec")
    lms = platform_settings_after(our_settings(source))

    app = lms.CREDENTIAL_APP
    assert app["PUBLIC_BASE_URL"] == "https://learn.example.org"
    assert app["CLAIM_MINUTES"] == common.DEFAULTS["CLAIM_MINUTES"]  # defaults kept
    assert (app["HRIS_DELIVERY"], app["BADGE_SIGNING"]) == ("celery", "celery")
    evidence = lms.STORAGES[app["EVIDENCE_STORAGE"]]
    assert evidence["OPTIONS"]["location"].startswith("/openedx/media-private/")
    assert "default" in lms.STORAGES
    assert lms.EXPLICIT_QUEUES == {task: {"queue": queue} for task in task_names.ALL_TASKS}


def test_the_keys_tutor_made_are_keys_the_app_signs_with(project, settings):
    lms = platform_settings_after(our_settings(
        rendered(project, "apps", "openedx", "settings", "lms", "production.py")))
    settings.CREDENTIAL_APP = lms.CREDENTIAL_APP

    proof_key, jwt_key = keys.current(), keys.current_for_jwt()
    assert (proof_key.algorithm, jwt_key.algorithm) == (keys.EDDSA, keys.RS256)
    assert isinstance(proof_key.private_key, ed25519.Ed25519PrivateKey)
    proof_key.public_key.verify(proof_key.private_key.sign(b"badge"), b"badge")
    signature = jwt_key.private_key.sign(b"badge", padding.PKCS1v15(), SHA256())
    jwt_key.public_key.verify(signature, b"badge", padding.PKCS1v15(), SHA256())
    assert jwt_key.public_key.key_size == 3072

    fernet = Fernet(lms.CREDENTIAL_APP["HRIS_SECRET_KEYS"][0])
    assert fernet.decrypt(fernet.encrypt(b"client secret")) == b"client secret"


def test_secrets_are_made_once_per_installation_and_kept(project, tmp_path):
    generated = ("ASSESSED_CREDENTIALS_SIGNING_KEY", "ASSESSED_CREDENTIALS_RSA_SIGNING_KEY",
                 "ASSESSED_CREDENTIALS_HRIS_SECRET_KEY", "ASSESSED_CREDENTIALS_SIGNING_KEY_ID")
    first = {name: config(project)[name] for name in generated}
    tutor(project, "config", "save")
    assert {name: config(project)[name] for name in generated} == first

    other = new_project(tmp_path / "other")
    assert all(config(other)[name] != first[name] for name in generated)


def test_operator_settings_and_earlier_keys_reach_the_app(tmp_path):
    root = new_project(tmp_path / "root")
    earlier = {"id": "2025-01", "public_key": keys.public_text(keys.new_entry("2025-01"))}
    tutor(root, "config", "save",
          "--set", 'ASSESSED_CREDENTIALS_SETTINGS={"CLAIM_MINUTES": 45, "HRIS_ALLOW_HTTP": false}',
          "--set", f"ASSESSED_CREDENTIALS_PREVIOUS_SIGNING_KEYS=[{json.dumps(earlier)}]",
          "--set", "ASSESSED_CREDENTIALS_CELERY_QUEUE=credentials")
    lms = platform_settings_after(our_settings(
        rendered(root, "apps", "openedx", "settings", "lms", "production.py")))
    assert lms.CREDENTIAL_APP["CLAIM_MINUTES"] == 45
    assert lms.CREDENTIAL_APP["HRIS_ALLOW_HTTP"] is False
    assert lms.CREDENTIAL_APP["SIGNING_KEYS"][-1] == earlier
    assert {route["queue"] for route in lms.EXPLICIT_QUEUES.values()} == {"credentials"}


def test_rotating_the_signing_key_as_the_readme_says_keeps_the_old_one_verifying(tmp_path):
    root = new_project(tmp_path / "root")
    old = {"id": value(root, "ASSESSED_CREDENTIALS_SIGNING_KEY_ID"),
           "private_key": value(root, "ASSESSED_CREDENTIALS_SIGNING_KEY")}
    tutor(root, "config", "save",
          "--set", f"ASSESSED_CREDENTIALS_PREVIOUS_SIGNING_KEYS=[{json.dumps(old)}]",
          "--unset", "ASSESSED_CREDENTIALS_SIGNING_KEY",
          "--unset", "ASSESSED_CREDENTIALS_SIGNING_KEY_ID")
    tutor(root, "config", "save")

    new_id = config(root)["ASSESSED_CREDENTIALS_SIGNING_KEY_ID"]  # kept, not made per run
    assert new_id != old["id"] and value(root, "ASSESSED_CREDENTIALS_SIGNING_KEY_ID") == new_id
    lms = platform_settings_after(our_settings(
        rendered(root, "apps", "openedx", "settings", "lms", "production.py")))
    entries = lms.CREDENTIAL_APP["SIGNING_KEYS"]
    assert entries[0]["id"] == new_id and entries[-1] == old


def command_of(service):
    command = service.get("command") or service.get("args")
    return command if isinstance(command, list) else command.split()


def test_docker_compose_runs_a_worker_with_beat_on_the_apps_queue(project, queue):
    compose = yaml.safe_load(rendered(project, "local", "docker-compose.prod.yml"))
    worker = compose["services"]["assessed-credentials-worker"]
    lms_worker = compose["services"]["lms-worker"]

    command = command_of(worker)
    assert command[:3] == ["celery", "--app=lms.celery", "worker"]
    assert "--beat" in command and f"--queues={queue}" in command
    assert worker["image"] == lms_worker["image"]
    assert worker["environment"] == lms_worker["environment"]
    assert set(lms_worker["volumes"]) <= set(worker["volumes"])  # the same settings, data
    # Tutor's LMS worker does not take the app's queue: long deliveries stay off it.
    lms_queues = next(arg for arg in command_of(lms_worker) if arg.startswith("--queues="))
    assert queue not in lms_queues


def test_kubernetes_runs_one_worker_with_beat_replaced_never_rolled(project, queue):
    documents = [doc for doc in yaml.safe_load_all(rendered(project, "k8s", "deployments.yml"))
                 if doc]
    by_name = {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == "Deployment"}
    worker, lms_worker = by_name["assessed-credentials-worker"], by_name["lms-worker"]

    assert worker["spec"]["replicas"] == 1
    assert worker["spec"]["strategy"]["type"] == "Recreate"
    container = worker["spec"]["template"]["spec"]["containers"][0]
    assert "--beat" in container["args"] and f"--queues={queue}" in container["args"]
    reference = lms_worker["spec"]["template"]["spec"]
    assert container["image"] == reference["containers"][0]["image"]
    assert container["volumeMounts"] == reference["containers"][0]["volumeMounts"]
    assert worker["spec"]["template"]["spec"]["volumes"] == reference["volumes"]


def test_init_grants_the_trigger_privilege_then_migrates_the_app_after_tutors_own(project):
    tasks = init_tasks(project)
    assert [service for service, _script in tasks["ours"]] == ["mysql", "lms"]
    (_mysql, grant), (_lms, migrate) = tasks["ours"]
    assert "GRANT TRIGGER ON \\`openedx\\`.* TO 'openedx'@'%'" in grant  # run: test_audit_grants
    assert "SET PERSIST log_bin_trust_function_creators = ON" in grant
    assert "./manage.py lms migrate credential_app" in migrate
    assert "./manage.py lms check_audit_triggers" in migrate
    # Tutor's own tasks (the database and its user, the LMS's migrations) come first.
    assert tasks["all"][-2:] == ["mysql", "lms"] and tasks["all"].count("mysql") == 2
