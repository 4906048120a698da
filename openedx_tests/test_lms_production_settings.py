"""Production settings: an operator's YAML naming some ``CREDENTIAL_APP`` keys keeps the rest.

``lms.envs.production`` and ``cms.envs.production`` read the operator's YAML (``LMS_CFG``,
``CMS_CFG``) and then run the plugins' production settings. Each is loaded in a fresh Python
of the platform's venv (settings load once per process), from the platform's root.
"""
import json
import subprocess
import sys

import pytest
from django.conf import settings

SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print("CREDENTIAL_APP=" + json.dumps(settings.CREDENTIAL_APP, default=str))
"""


@pytest.mark.parametrize("service", ["lms", "cms"])
def test_a_yaml_naming_one_key_keeps_every_other_default(service, tmp_path):
    config = tmp_path / f"{service}.yml"
    # The site's addresses every real YAML has (Studio derives settings from them), and one
    # key of the plugin's.
    config.write_text("LMS_ROOT_URL: https://lms.example.org\n"
                      "CMS_ROOT_URL: https://studio.example.org\n"
                      "CREDENTIAL_APP:\n  CLAIM_MINUTES: 10\n")
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": f"{service}.envs.production",
           f"{service.upper()}_CFG": str(config), "PYTHONWARNINGS": "ignore"}
    # A fixed command: this venv's Python, the platform's settings, the YAML written above.
    loaded = subprocess.run([sys.executable, "-c", SHOW_SETTINGS],  # noqa: S603
                            cwd=settings.REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=600, check=False)
    assert loaded.returncode == 0, loaded.stderr[-4000:]
    line = next(x for x in loaded.stdout.splitlines() if x.startswith("CREDENTIAL_APP="))
    credential_app = json.loads(line.removeprefix("CREDENTIAL_APP="))
    assert credential_app["CLAIM_MINUTES"] == 10
    assert set(credential_app) >= set(settings.CREDENTIAL_APP)  # every default kept
    assert credential_app["HRIS_DELIVERY"] == "celery"
