"""Shared steps of the xAPI tests: a real Ralph LRS on loopback, a destination sending to it,
reading statements back as an LRS consumer does, and Ralph's own strict validation."""
import json
import subprocess

import pytest

from credential_app.hris import destination_secrets
from credential_app.models import HrisDestination
from demo import ralph_lrs
from tests.hris_helpers import link_everyone
from tests.ports import free_port

LRS_USER, LRS_PASSWORD = "lms", "ralph-test-password-7f3a"
EMPLOYER = "https://hr.example.com"


def start_ralph(folder, port=None) -> ralph_lrs.RalphServer:
    """Ralph on a free loopback port; a test FAILS (never skips) when it cannot start,
    saying how to install it."""
    try:
        return ralph_lrs.RalphServer(folder, port=port or free_port(), username=LRS_USER,
                                     password=LRS_PASSWORD).start()
    except ralph_lrs.RalphUnavailable as exc:
        pytest.fail(str(exc))


def make_lrs_destination(url, *, name="Acme LRS", options=None, secrets=None, link=True,
                         **fields) -> HrisDestination:
    values = {"name": name, "url": url, "connector": "xapi", "timeout_seconds": 5,
              "batch_size": 10, "concurrency": 4, "rate_limit_per_minute": 6000,
              "retry_base_seconds": 1, "retry_max_seconds": 5, **fields}
    destination = HrisDestination(**values)
    destination.options = {"xapi_actor": "account", "xapi_home_page": EMPLOYER,
                           "xapi_auth": "basic", "xapi_username": LRS_USER,
                           "xapi_version": "auto", **(options or {})}
    destination_secrets.store(destination, secrets or {"xapi_password": LRS_PASSWORD})
    destination.save()
    if link:
        link_everyone(destination)
    return destination


def account(employee_id) -> dict:
    return {"objectType": "Agent", "account": {"homePage": EMPLOYER, "name": employee_id}}


def ralph_validates(statements: list[dict]) -> list[str]:
    """Ralph's strict xAPI 1.0.3 model (``BaseXapiStatement``) run on each statement, in
    Ralph's own interpreter; the problems it finds (empty: all valid)."""
    program = (
        "import json, sys\n"
        "from pydantic import ValidationError\n"
        "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
        "problems = []\n"
        "for statement in json.load(sys.stdin):\n"
        "    try:\n"
        "        BaseXapiStatement.model_validate(statement)\n"
        "    except ValidationError as exc:\n"
        "        problems.append(f\"{statement.get('id')}: {exc}\")\n"
        "print(json.dumps(problems))\n")
    done = subprocess.run([str(ralph_lrs.python()), "-c", program],  # noqa: S603
                          input=json.dumps(statements), capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"Ralph's validator did not run: {done.stderr[-2000:]}")
    return json.loads(done.stdout)
