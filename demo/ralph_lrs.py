"""Ralph, the Open edX community's Learning Record Store, run on loopback for the demo
(``make demo RALPH=1``) and the xAPI tests: filesystem backend, HTTP Basic auth.

Ralph is installed in its own virtual environment, ``var/ralph-venv`` (``make test-setup``
or ``make ralph``, from ``requirements/ralph.txt``): its pins conflict with ours, and we only
speak HTTP to it. ``RalphServer`` writes Ralph's auth file with Ralph's own ``ralph auth``
command, starts ``uvicorn ralph.api:app`` (what ``ralph runserver`` starts, without its
auto-reload) and waits for ``/__heartbeat__``.

One adjustment, made in Ralph's own process before its app loads (``LAUNCH``): Ralph 5.1's
file backend opens its statements file in "create" mode, so every POST after the first one
fails (500, "already exists and overwrite is not allowed"); we set that backend to append,
as a file-backed LRS must. Ralph's HTTP API, its validation, its duplicate and conflict
checks and its queries are untouched.
"""
import base64
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("RALPH_VENV", ROOT / "var" / "ralph-venv"))
INSTALL_HINT = ("Ralph (the Open edX LRS) is not installed in {venv}. Install it with "
                "`make ralph` (part of `make test-setup`), or by hand: "
                "python3.12 -m venv {venv} && {venv}/bin/pip install -r requirements/ralph.txt")
DEMO_USER = "demo-lms"


#: Runs in Ralph's interpreter: the file backend appends (see above), then uvicorn serves
#: Ralph's app as ``ralph runserver`` does.
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


class RalphUnavailable(RuntimeError):
    """Ralph is not installed or did not start; the message says how to fix it."""


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_installed() -> None:
    if not (VENV / "bin" / "ralph").exists():
        raise RalphUnavailable(INSTALL_HINT.format(venv=VENV))


def demo_password(folder: Path) -> str:
    """The demo LRS account's password: made once, kept in ``folder`` (mode 0600)."""
    path = Path(folder) / "demo-lrs-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def environment(data_dir: Path, auth_file: Path) -> dict:
    return {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_RUNSERVER_AUTH_BACKENDS": "basic", "RALPH_AUTH_FILE": str(auth_file),
            "RALPH_APP_DIR": str(data_dir),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data_dir),
            "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(data_dir)}


class RalphServer:
    """One Ralph LRS process on ``127.0.0.1:port``, storing statements under ``data_dir``."""

    def __init__(self, data_dir, *, port, username, password, log=None):
        ensure_installed()
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port, self.username, self.password = port, username, password
        self.auth_file = self.data_dir / "auth.json"
        self.log = Path(log) if log else self.data_dir / "ralph.log"
        self.proc = None
        self.write_auth_file()

    @property
    def url(self) -> str:
        """The xAPI endpoint, as an LRS destination's address."""
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def write_auth_file(self):
        """One account with every scope, through Ralph's own ``ralph auth``."""
        self.auth_file.unlink(missing_ok=True)
        done = subprocess.run(  # noqa: S603 - our own venv's ralph, fixed arguments
            [str(VENV / "bin" / "ralph"), "auth", "--username", self.username, "--password",
             self.password, "--scope", "all", "--agent-ifi-mbox",
             f"mailto:{self.username}@example.com", "--write-to-disk"],
            env=environment(self.data_dir, self.auth_file), capture_output=True, text=True,
            timeout=120, check=False)
        if done.returncode != 0 or not self.auth_file.exists():
            raise RalphUnavailable(f"`ralph auth` failed: {done.stderr[-2000:]}")

    def start(self, timeout=60):
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - our own venv's python, fixed arguments
            [str(python()), "-c", LAUNCH, str(self.port)],
            env=environment(self.data_dir, self.auth_file), cwd=self.data_dir,
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RalphUnavailable(f"Ralph stopped at start:\n{self.output()[-3000:]}")
            if self.answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise RalphUnavailable(f"Ralph did not answer within {timeout}s:\n"
                               f"{self.output()[-3000:]}")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(  # noqa: S310 - loopback
                    f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.proc = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wipe(self):
        """Forget every stored statement (the file backend's one file)."""
        for path in self.data_dir.glob("*.jsonl"):
            path.unlink()

    # --- reading, as an LRS consumer does ---
    def get(self, path, **params):
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}" + (f"?{query}" if query else ""),
            headers={"X-Experience-API-Version": "1.0.3",
                     "Authorization": "Basic " + _basic(self.username, self.password)})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return json.loads(response.read())

    def statements(self, agent: dict | None = None, **params) -> list[dict]:
        """GET /xAPI/statements (filtered by ``agent`` as an LRS consumer does), every page."""
        if agent is not None:
            params["agent"] = json.dumps(agent)
        found, answer = [], self.get("/xAPI/statements", **params)
        found.extend(answer["statements"])
        while answer.get("more"):
            answer = self.get(answer["more"].split("?")[0].replace(
                f"http://127.0.0.1:{self.port}", ""), **dict(urllib.parse.parse_qsl(
                    answer["more"].split("?", 1)[1])))
            found.extend(answer["statements"])
        return found


def _basic(username, password) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode()
