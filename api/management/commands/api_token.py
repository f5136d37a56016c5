"""`manage.py api_token create|list|revoke`: API tokens from the command line (the API tokens page does the same).

    manage.py api_token create --school 999001 --role office --name "MIS nightly sync" --by jsmith
    manage.py api_token list --school 999001
    manage.py api_token revoke --school 999001 --prefix rit_AbC123xY

The token is printed once, when it is created; only its SHA-256 hash is kept. `--by` names the member of staff the
token acts for: what it writes is recorded as theirs. A token created without `--by` can read but not write.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.models import ApiToken
from api.selectors import school_tokens
from api.services import api_token_create, api_token_revoke
from schools.models import Role, School


class Command(BaseCommand):
    help = "Create, list and revoke API tokens. Each token belongs to one school and one role."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it (once).")
        create.add_argument("--school", required=True, help="The school's URN.")
        create.add_argument("--role", required=True, choices=Role.values, help="The role whose capabilities it has.")
        create.add_argument("--name", required=True, help="What the token is for, e.g. 'MIS nightly sync'.")
        create.add_argument("--by", default="", help="User name of the member of staff the token acts for.")
        listing = actions.add_parser("list", help="List a school's tokens (never the tokens themselves).")
        listing.add_argument("--school", required=True, help="The school's URN.")
        revoke = actions.add_parser("revoke", help="Revoke a token: it is refused from then on.")
        revoke.add_argument("--school", required=True, help="The school's URN.")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--id", type=int, help="The token's id (from list).")
        which.add_argument("--prefix", help="The token's first characters, as list shows them (rit_...).")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(urn=options["school"]).first()
        if school is None:
            raise CommandError(f"No school has the URN {options['school']}.")
        action = options["action"]
        if action == "create":
            self._create(school, options)
        elif action == "list":
            self._list(school)
        else:
            self._revoke(school, options)

    def _create(self, school: School, options: dict[str, Any]) -> None:
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user has the user name {options['by']}.")
        try:
            token, raw = api_token_create(school=school, role=options["role"], name=options["name"], created_by=by)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Created API token {token.pk} '{token.name}' for {school.name}, role {token.role}.")
        if by is None:
            self.stdout.write("It acts for no member of staff, so it can read but not write (use --by to change that).")
        self.stdout.write("The token is shown only now. Store it in your secrets manager:")
        self.stdout.write(raw)

    def _list(self, school: School) -> None:
        tokens = list(school_tokens(school))
        if not tokens:
            self.stdout.write(f"{school.name} has no API tokens.")
            return
        for token in tokens:
            state = f"revoked {timezone.localtime(token.revoked_at):%d/%m/%Y %H:%M}" if token.revoked_at else "live"
            used = f"{timezone.localtime(token.last_used_at):%d/%m/%Y %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}  {token.prefix}…  {token.role:<14} {state:<24} last used {used}  {token.name}"
            )

    def _revoke(self, school: School, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.filter(school=school)
        if options["id"]:
            token = tokens.filter(pk=options["id"]).first()
        else:
            token = tokens.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"{school.name} has no such API token.")
        try:
            api_token_revoke(token=token, revoked_by=None, now=timezone.now())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Revoked API token {token.pk} '{token.name}'. It is refused from now on.")
