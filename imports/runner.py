"""Running a job's step (check or import): in the request for a small file, in a background thread for a large one.

A large file takes a while to read, so the request returns at once and the job page shows the progress the step
writes to the job row (refreshing itself while the job runs). The thread opens its own database connection and
closes it when done. If the process stops mid-way, the job's progress stops too: the page then says the import
stopped (services.is_stalled), and nothing was written, because the writes are one transaction.

IMPORTS_BACKGROUND_FROM_BYTES (a setting, default 1 MB) is the size from which a file is handled in the background.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections, transaction

from imports.models import ImportJob

DEFAULT_BACKGROUND_FROM_BYTES = 1_000_000


def in_background(job: ImportJob) -> bool:
    threshold: int = getattr(settings, "IMPORTS_BACKGROUND_FROM_BYTES", DEFAULT_BACKGROUND_FROM_BYTES)
    return job.size_bytes >= threshold


def run(step: Callable[[int], None], job: ImportJob, user: User | None = None) -> None:
    """Run `step(job.pk)` now, or (for a large file) in a thread started once the current transaction commits."""
    if not in_background(job):
        step(job.pk)
        return
    job_id = job.pk

    def target() -> None:
        from auditlog.context import set_actor

        try:
            with set_actor(user):
                step(job_id)
        finally:
            connections.close_all()

    transaction.on_commit(lambda: threading.Thread(target=target, name=f"import-job-{job_id}", daemon=True).start())
