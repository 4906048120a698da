"""The demo's Open Badges signing keys, made on first start, kept in ``var/`` (mode 0600):
an Ed25519 key for the Data Integrity proofs and an RSA key for the VC-JWTs (RS256).

A real site keeps its keys in a secret store and names them in
``CREDENTIAL_APP["SIGNING_KEYS"]`` or ``["SIGNING_KEYS_FILE"]``; the demo does the
same with a file of its own, so no step is manual and nothing sits in the database.
"""
import os
from pathlib import Path

from credential_app.openbadges import keys

KEY_FILE = "badge-signing-keys.json"
KEY_ID = "demo-key-1"
RSA_KEY_ID = "demo-rsa-1"


def load_or_create(var_dir: Path) -> str:
    """The path of the demo's key file, creating it with new keys if missing."""
    path = Path(var_dir) / KEY_FILE
    if not path.exists():
        scratch = path.with_name(f".{KEY_FILE}.{os.getpid()}")
        keys.write_file(scratch, [keys.new_entry(KEY_ID),
                                  keys.new_entry(RSA_KEY_ID, keys.RS256)])
        try:
            os.link(scratch, path)  # atomic: when processes race, the first key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(scratch)
    return str(path)
