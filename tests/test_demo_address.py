"""``make demo DEMO_PORT=…``: the badges the demo issues name the address it serves on."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SHOW_LEES_BADGE = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from credential_app import api
learner = get_user_model().objects.get(username="learner")
held = api.get_learner_credentials(learner.pk)[0]
url = reverse("credential_app:badge_json", kwargs={"uuid": held.uuid})
print(Client().get(url).content.decode())
"""


def run(args, env):
    # A fixed command: this venv's Python, the project's manage.py or the script above.
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def test_a_demo_on_another_port_issues_badges_naming_that_port(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings",
           "CREDENTIAL_VAR_DIR": str(tmp_path), "DEMO_PORT": "8123", "CREDENTIAL_DB": "sqlite"}
    env.pop("CREDENTIAL_PUBLIC_BASE_URL", None)
    run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    run(["manage.py", "load_demo"], env)
    badge = json.loads(run(["-c", SHOW_LEES_BADGE], env))

    issuer = badge["issuer"]["id"]
    assert issuer.startswith("did:web:127.0.0.1%3A8123:"), issuer
    assert badge["credentialStatus"]["statusListCredential"].startswith("http://127.0.0.1:8123/")
    text = json.dumps(badge)  # the default port, in a URL or a did:web (not in a hash)
    assert ":8000" not in text and "%3A8000" not in text
