"""A MariaDB server of a test's own, with binary logging on (as MySQL 8 has it by default),
started from Debian's binaries on a free port in a scratch folder: what Tutor's MySQL meets
can be met here without changing the shared server's global settings."""
import contextlib
import getpass
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pymysql

from tests.ports import free_port

INSTALL_DB = shutil.which("mariadb-install-db")
SERVER = shutil.which("mariadbd") or "/usr/sbin/mariadbd"


def root_connection(port, **options):
    return pymysql.connect(host="127.0.0.1", port=port, user="root", password="",
                           autocommit=True, **options)


@contextlib.contextmanager
def mariadb_with_binary_logging(folder: Path):
    """Yield the port of a fresh MariaDB (root without password on 127.0.0.1) that writes a
    binary log; stopped and removed afterwards."""
    assert INSTALL_DB and Path(SERVER).exists(), (
        "This test starts a MariaDB server of its own: install Debian's mariadb-server "
        "(apt-get install mariadb-server).")
    folder.mkdir(parents=True)
    user = f"--user={getpass.getuser()}"  # as root, mariadbd runs only when told to
    subprocess.run([INSTALL_DB, "--no-defaults", f"--datadir={folder / 'data'}", user,
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    log = folder / "server.log"
    server = subprocess.Popen([  # noqa: S603 - a fixed command line
        SERVER, "--no-defaults", f"--datadir={folder / 'data'}", user, f"--port={port}",
        "--bind-address=127.0.0.1", f"--socket={folder / 'mariadb.sock'}",
        f"--log-bin={folder / 'binlog'}", f"--log-error={log}", "--skip-name-resolve"])
    try:
        deadline = time.monotonic() + 60
        while True:  # ready when it listens (it opens the port once it takes connections)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"MariaDB did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)
