"""`manage.py backup [--output FILE]`: a consistent copy of the database, taken while the site runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from reintegrate.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the whole database to one file (SQLite online backup, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Where to write the backup (default: backups/<time>).")

    def handle(self, *args: Any, **options: Any) -> None:
        suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
        output: Path = options["output"] or Path("backups") / f"reintegrate-{timezone.now():%Y%m%d-%H%M%S}{suffix}"
        try:
            written = backup_database(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up the database to {written} ({written.stat().st_size:,} bytes).")
