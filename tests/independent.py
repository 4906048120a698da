"""Verification by software this project did not write: Digital Bazaar's Data Integrity
libraries for JavaScript (``tests/independent_verifier/``, installed from npm by ``make
test-setup``), run with Node. Our own verifier agreeing with our own signer proves only
consistency; these tests are what a relying party's verifier would say.
"""
import json
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "independent_verifier"
CONTEXTS = files("credential_app.openbadges") / "jsonld_contexts"


def run(*, credentials=(), documents=(), did_documents=(), status_lists=None,
        jwts=()) -> dict:
    """What the independent verifier says of each credential and document."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules").is_dir():
        pytest.fail("The independent verifier needs Node.js and its npm packages: "
                    "`make test-setup` installs both (nodejs and npm from Debian).")
    request = {"contexts_dir": str(CONTEXTS), "did_documents": list(did_documents),
               "status_lists": status_lists or {}, "credentials": list(credentials),
               "documents": list(documents), "jwts": list(jwts)}
    # A fixed command: Node on the verifier script shipped beside this module.
    done = subprocess.run([node, str(HERE / "verify.mjs")], input=json.dumps(request),  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
