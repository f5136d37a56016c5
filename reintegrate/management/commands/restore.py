"""`manage.py restore FILE --yes`: replace the database's contents with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reintegrate.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore the whole database from a file made by `manage.py backup`. Everything now held is replaced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the database's current contents will be replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces everything in the database. Run it again with --yes to confirm.")
        try:
            restore_database(options["backup"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the database from {options['backup']}.")
