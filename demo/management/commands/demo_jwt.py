"""Print a JWT for a demo user, as the LMS would issue one, to try the REST API with curl."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from demo import jwt_keys


class Command(BaseCommand):
    help = ("Print an LMS-style JWT for a demo user. Use it as "
            "`curl -H 'Authorization: JWT <token>' "
            "http://127.0.0.1:8000/credential-app/api/v1/me/credentials/`.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--minutes", type=int, default=60, help="How long it stays valid.")

    def handle(self, *args, username, minutes, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”. Run `make demo` to create the demo users.")
        self.stdout.write(jwt_keys.mint(user, settings.JWT_AUTH, expires_in=minutes * 60))
