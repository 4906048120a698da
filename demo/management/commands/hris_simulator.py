"""Run the bundled HRIS simulator (``demo.hris_simulator``) until stopped."""
import signal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credential_app.hris import destination_secrets
from credential_app.hris.connectors import standard_webhooks
from credential_app.models import HrisDestination, OutcomeFeed
from credential_app.workplace import feeds
from demo.hris_simulator import HrisSimulator


class Command(BaseCommand):
    help = ("A local HR system receiving Standard Webhooks: verifies signatures, applies each "
            "webhook-id once, stores records, shows them on / and injects faults on "
            "POST /_faults.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025, help="0: any free port.")
        parser.add_argument("--secret", action="append", default=[],
                            help="A whsec_ secret or whpk_ public key it trusts (repeatable).")
        parser.add_argument("--trust-destination", default="",
                            help="Also trust the signing secrets stored for the HRIS "
                                 "destination of this name (for the demo).")
        parser.add_argument("--store", default="var/hris_simulator.sqlite3",
                            help="SQLite file keeping what it received (kept across runs).")
        parser.add_argument("--port-file", default="",
                            help="Write the port it listens on to this file once ready.")
        parser.add_argument("--verbose", action="store_true", help="Log every request.")
        parser.add_argument("--tls-cert", default="", help="Serve HTTPS with this PEM "
                            "certificate (chain) ...")
        parser.add_argument("--tls-key", default="", help="... and this PEM private key.")

    def handle(self, *args, **options):
        trusted = list(options["secret"])
        if options["trust_destination"]:
            trusted += _destination_secrets(options["trust_destination"])
        if not trusted:
            raise CommandError("Give at least one --secret (whsec_… or whpk_…).")
        for secret in trusted:
            if not secret.startswith((standard_webhooks.SYMMETRIC_PREFIX,
                                      standard_webhooks.PUBLIC_KEY_PREFIX)):
                raise CommandError("Each --secret is a whsec_ secret or a whpk_ public key.")
        Path(options["store"]).parent.mkdir(parents=True, exist_ok=True)
        server = HrisSimulator(store_path=options["store"], trusted=trusted,
                               host=options["host"], port=options["port"],
                               verbose=options["verbose"],
                               tls_cert=options["tls_cert"] or None,
                               tls_key=options["tls_key"] or None,
                               outcome_token=_outcome_token(options["trust_destination"]))
        signal.signal(signal.SIGTERM, _interrupt)
        if options["port_file"]:
            Path(options["port_file"]).write_text(str(server.server_address[1]))
        self.stdout.write(f"HRIS simulator listening on {server.url}", ending="\n")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _destination_secrets(name):
    """The verification side of a destination's signing secrets (whsk_ → whpk_)."""
    destination = HrisDestination.objects.filter(name=name).first()
    if destination is None:
        raise CommandError(f"No HRIS destination is named {name!r}.")
    lines = destination_secrets.load(destination).get("signing_secrets", "").split()
    return [standard_webhooks.public_key_of(line)
            if line.startswith(standard_webhooks.PRIVATE_KEY_PREFIX) else line
            for line in lines]


def _outcome_token(name):
    """The token the destination's outcome feed pulls /outcomes with (none: no check)."""
    feed = OutcomeFeed.objects.filter(destination__name=name).first() if name else None
    return feeds.load_secrets(feed).get("token", "") if feed is not None else ""
