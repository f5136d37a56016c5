"""Print the current two-factor code of a demo account: `python manage.py demo_code <username>`.

For trying the demo without an authenticator app. It works only with DEBUG on, and only for accounts whose
every role is at the fictional demo school; anywhere else it refuses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import data

REFUSED_IN_PRODUCTION = (
    "demo_code works only with DEBUG on: it prints sign-in codes for the fictional demo school, "
    "and is never available in production."
)


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code of a demo account (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="A demo account, for example pastoral.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(REFUSED_IN_PRODUCTION)
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not data.is_demo_account(user):
            raise CommandError(
                f'"{username}" is not an account of the demo school, so demo_code will not show its code. '
                f"The demo accounts are: {', '.join(account.username for account in data.ACCOUNTS)}."
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f'"{username}" has no authenticator app set up; sign in to set one up.')
        code, seconds_left = data.current_code(device)
        self.stdout.write(f"{code}  (the code for {username} for the next {seconds_left} seconds)")
