"""``manage.py resign_open_badges``: sign every issued credential's Open Badge anew, and
every revocation status list, with the current key.

Run it after a key rotation (new key first in the signing keys) or when credentials
should carry what their definitions say now. Batches commit one by one, so an
interrupted run can simply be started again; ``--workers`` uses more CPU cores (the
work is canonicalisation, CPU-bound). Old copies of the credentials keep verifying as
long as their key stays listed.
"""
import multiprocessing
import time

from django.core.management.base import BaseCommand
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.openbadges import status_list, store


def _abandon_inherited_connections():
    """Worker start: never use (nor close) a database socket copied from the parent.

    Whatever the parent still held at the fork, the worker opens its own connections;
    closing the copies would end the parent's sessions.
    """
    for connection in connections.all(initialized_only=True):
        connection.connection = None
        connection.in_atomic_block = False
        connection.savepoint_ids = []
        connection.needs_rollback = False
        connection.closed_in_transaction = False
        connection.run_on_commit = []


def _resign_batch(ids):
    """Worker: a forked process opens its own database connection."""
    try:
        return store.resign_ids(ids)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = gettext_lazy("Sign the Open Badge of every issued credential anew with the "
                        "current signing key.")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=1,
                            help=gettext_lazy("Processes to sign with (default 1; use the "
                                              "number of CPU cores)."))
        parser.add_argument("--batch-size", type=int, default=200,
                            help=gettext_lazy("Credentials per transaction (default 200)."))
        parser.add_argument("--key-id", default=None,
                            help=gettext_lazy("Only credentials last signed with this key."))

    def handle(self, *args, workers=1, batch_size=200, key_id=None, **options):
        ids = store.ids_to_resign(key_id)
        batches = [ids[i:i + batch_size] for i in range(0, len(ids), max(1, batch_size))]
        started = time.perf_counter()
        store.warm_up()
        if workers > 1 and len(batches) > 1:
            connections.close_all()  # never share a connection across fork
            with multiprocessing.get_context("fork").Pool(
                    workers, initializer=_abandon_inherited_connections) as pool:
                done = sum(pool.imap_unordered(_resign_batch, batches))
        else:
            done = sum(store.resign_ids(batch) for batch in batches)
        lists = status_list.resign_all()  # their key too: they must outlive the old one
        elapsed = time.perf_counter() - started
        self.stdout.write(_("{count} credentials signed anew in {seconds:.1f} s "
                            "({rate:.0f}/s).").format(count=done, seconds=elapsed,
                                                      rate=done / elapsed if elapsed else 0))
        self.stdout.write(_("{count} revocation status lists signed with the current "
                            "key.").format(count=lists))
