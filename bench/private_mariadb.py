"""A throwaway MariaDB server of the benchmark's own, sized like a production one.

The machine's shared server keeps the default 128 MB InnoDB buffer pool, far less than
the benchmark's 2 GB of tables and indexes, so it measures the disk more than the
queries. ``--buffer-pool`` starts a private ``mariadbd`` instead (data in a temporary
folder, a free loopback port, root without password) and stops it afterwards.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def private_mariadb(buffer_pool: str):
    """Run a private server; yields its port (also put in CREDENTIAL_DB_PORT)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-mariadb-"))
    data, port = folder / "data", _free_port()
    subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--skip-test-db",
                    "--auth-root-authentication-method=normal", "--user=root"],
                   check=True, capture_output=True)
    server = subprocess.Popen(
        [MARIADBD, "--no-defaults", f"--datadir={data}", f"--port={port}",
         "--bind-address=127.0.0.1", f"--socket={folder / 'mysqld.sock'}",
         f"--pid-file={folder / 'mysqld.pid'}", f"--innodb-buffer-pool-size={buffer_pool}",
         "--innodb-log-file-size=512M", "--skip-log-bin", "--user=root"],
        stdout=subprocess.DEVNULL, stderr=open(folder / "error.log", "w"))
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until it takes connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "error.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        os.environ["CREDENTIAL_DB_PORT"] = str(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
