"""Delete uploaded files left waiting for more than a day (they hold personal data). For cron, daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from imports.services import import_files_purge


class Command(BaseCommand):
    help = "Delete uploaded import files not imported within a day, and mark their imports expired."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = import_files_purge()
        self.stdout.write(f"Deleted {deleted} uploaded file{'' if deleted == 1 else 's'}.")
