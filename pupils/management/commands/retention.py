"""`manage.py retention [--anonymise --yes]`: the pupils whose records are past retention, and their anonymisation.

The rule (pupils.retention.retention_date): records are kept until the pupil's 25th birthday, or the number of years
in settings.RETENTION_YEARS_AFTER_BIRTH. The output names no pupil: it shows pupil ids, retention dates and counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pupils.models import Pupil
from pupils.retention import RETENTION_REASON, pupil_anonymise, pupils_past_retention

CONFIRM_NEEDED = (
    "Anonymising cannot be undone. Nothing was changed. "
    "To anonymise the pupils listed above, run: manage.py retention --anonymise --yes"
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "List the pupils whose records are past retention (by default after their 25th birthday), by school, "
        "and with --anonymise --yes anonymise them (one transaction per pupil)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anonymise", action="store_true", help="Anonymise the pupils listed (needs --yes to confirm)."
        )
        parser.add_argument("--yes", action="store_true", help="Confirm the anonymisation.")

    def handle(self, *args: Any, **options: Any) -> None:
        years: int = settings.RETENTION_YEARS_AFTER_BIRTH
        today = timezone.localdate()
        groups = pupils_past_retention(today=today, years=years)
        self.stdout.write(
            f"Retention: records are kept until the pupil's birthday {years} years after birth "
            f"(RETENTION_YEARS_AFTER_BIRTH = {years}). Today is {today:%d/%m/%Y}."
        )
        total = sum(len(group.pupils) for group in groups)
        if not total:
            self.stdout.write("No pupil's records are past retention.")
            return
        for group in groups:
            self.stdout.write(
                f"{group.school.name} (URN {group.school.urn}): {_plural(len(group.pupils), 'pupil')} past retention"
            )
            for entry in group.pupils:
                self.stdout.write(f"  pupil {entry.pupil_id}: kept until {entry.retention_date:%d/%m/%Y}")
        self.stdout.write(f"Total: {_plural(total, 'pupil')} past retention at {_plural(len(groups), 'school')}.")
        if not options["anonymise"]:
            self.stdout.write("To anonymise them, run: manage.py retention --anonymise --yes")
            return
        if not options["yes"]:
            raise CommandError(CONFIRM_NEEDED)
        done = 0
        for group in groups:
            for entry in group.pupils:
                pupil_anonymise(pupil=Pupil.objects.get(pk=entry.pupil_id), by_system_reason=RETENTION_REASON)
                self.stdout.write(f"  anonymised pupil {entry.pupil_id}")
                done += 1
        self.stdout.write(self.style.SUCCESS(f"Anonymised {_plural(done, 'pupil')}."))
