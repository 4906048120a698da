"""``manage.py create_badge_signing_key``: rotate to a new Open Badges signing key.

Adds a new key first in the signing key file (``--file``, or
``CREDENTIAL_APP["SIGNING_KEYS_FILE"]``): an Ed25519 key (the default) signs new
credentials' Data Integrity proofs; an RSA key (``--algorithm RS256``) signs their VC-JWTs.
The older keys stay listed so what they signed keeps verifying. Prints the key id and its
public key, never the private key. ``--print`` writes the new entry (private key
included) to standard output instead, for a secret store.
"""
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.openbadges import keys


class Command(BaseCommand):
    help = gettext_lazy("Create a new Open Badges signing key and make it the current one.")

    def add_arguments(self, parser):
        parser.add_argument("--id", dest="key_id", default=None,
                            help=gettext_lazy("Key id (default: key-<date and time>)."))
        parser.add_argument("--file", default=None,
                            help=gettext_lazy("Signing key file to add it to."))
        parser.add_argument("--print", action="store_true", dest="print_entry",
                            help=gettext_lazy("Print the new key entry instead of saving it."))
        parser.add_argument("--algorithm", choices=keys.ALGORITHMS, default=keys.EDDSA,
                            help=gettext_lazy("EdDSA (Ed25519: Data Integrity proofs and "
                                              "JWTs) or RS256 (RSA: JWTs)."))

    def handle(self, *args, key_id=None, file=None, print_entry=False, algorithm=keys.EDDSA,
               **options):
        key_id = key_id or now().strftime("key-%Y%m%d-%H%M%S")
        try:
            if print_entry:
                self.stdout.write(json.dumps(keys.new_entry(key_id, algorithm)))
                return
            path = file or (getattr(settings, "CREDENTIAL_APP", {}) or {}).get(
                "SIGNING_KEYS_FILE")
            if not path:
                raise CommandError(_("No signing key file: give --file, set CREDENTIAL_APP"
                                     "['SIGNING_KEYS_FILE'], or use --print."))
            entry = keys.add_to_file(path, key_id, algorithm)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        public = keys.public_text(entry)
        self.stdout.write(_("New signing key {id} (public key {public}) added first to "
                            "{path}.").format(id=key_id, public=public, path=path))
