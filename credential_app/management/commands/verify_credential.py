"""``manage.py verify_credential FILE``: is this Open Badge genuine, and if not, why.

FILE holds the credential as JSON, a VC-JWT, or a baked PNG/SVG badge image; ``-``
reads standard input. Prints "valid" or "invalid" with the reasons, and exits with
status 1 when the credential is not valid (2 for a file that cannot be read).
"""
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app import api
from credential_app.openbadges import verification


class Command(BaseCommand):
    help = gettext_lazy("Verify an Open Badges 3.0 credential (JSON, JWT or baked image); "
                        "exit status 1 when it is not valid.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("The credential file, or - for "
                                                      "standard input."))
        parser.add_argument("--json", action="store_true",
                            help=gettext_lazy("Print the result as JSON."))

    def handle(self, *args, file, json=False, **options):
        data = self._read(file)
        result = api.verify_open_badge(data)
        if json:
            self.stdout.write(_dumps({"valid": result.valid, "status": result.status,
                                      "reasons": result.reasons, "codes": result.codes}))
        else:
            self.stdout.write(_("valid") if result.valid else _("invalid"))
            for reason in result.reasons:
                self.stdout.write(f"- {reason}")
        if not result.valid:
            sys.exit(1)

    @staticmethod
    def _read(file) -> bytes:
        limit = verification.MAX_INPUT_BYTES
        try:
            if file == "-":
                data = sys.stdin.buffer.read(limit + 1)
            else:
                with open(file, "rb") as handle:
                    data = handle.read(limit + 1)
        except OSError as exc:
            raise CommandError(_("Cannot read {file}: {error}").format(
                file=file, error=exc.strerror), returncode=2) from exc
        if not data.strip():
            raise CommandError(_("{file} is empty.").format(file=file), returncode=2)
        return data


def _dumps(value):
    return json.dumps(value, ensure_ascii=False)
