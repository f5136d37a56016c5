"""Load the demo school: `python manage.py load_demo [--if-empty]`.

Creates "Larkfield Academy (demo)", a clearly fictional school, with this year's and next year's calendar,
six staff accounts (password "reintegrate-demo", each with a published two-factor secret), about 60 fictional
pupils and suspensions at every stage of a return. Everything is created in one transaction; dates are
relative to today.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo import data
from schools.models import School


class Command(BaseCommand):
    help = "Load a fictional demo school with pupils at every stage of a return from suspension."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds a school (safe to run at every start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("The database already holds a school, so no demo data was loaded.")
            self._print_accounts(data.existing_accounts())
            return
        if data.demo_school_exists():
            raise CommandError(
                f"The demo school (URN {data.SCHOOL_URN}) is already loaded. "
                "Use a fresh database to load it again, or run with --if-empty."
            )
        taken = data.taken_usernames()
        if taken:
            raise CommandError(
                f"These user names are already taken, so the demo accounts cannot be created: {', '.join(taken)}."
            )
        started = time.monotonic()
        result = data.demo_load(now=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.school.name}: {result.pupils} fictional pupils and {result.suspensions} suspensions "
                f"in {time.monotonic() - started:.1f} seconds."
            )
        )
        self._print_accounts(list(data.ACCOUNTS))

    def _print_accounts(self, accounts: list[data.DemoAccount]) -> None:
        if not accounts:
            self.stdout.write("No demo accounts exist in this database.")
            return
        role_width = max(len(account.role_label) for account in accounts)
        self.stdout.write("")
        self.stdout.write("Demo accounts (all data is fictional; these passwords and secrets are for the demo only):")
        self.stdout.write(f"  {'Username':<10} {'Password':<18} {'Role':<{role_width}} 2FA secret")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<10} {data.PASSWORD:<18} {account.role_label:<{role_width}} {account.totp_secret}"
            )
        self.stdout.write("")
        self.stdout.write(
            "Every sign-in also asks for a 6-digit code: add the account's 2FA secret to an authenticator app "
            "(enter a setup key), or run `python manage.py demo_code <username>` for the current code."
        )
