"""`manage.py send_reminders`: email staff about statutory tasks coming due, reviews due and meetings to record.

Run it from cron (every 15 minutes, say), or leave it running with `--loop`. It never sends the same reminder
twice (notifications.services). It prints counts only: never a pupil's name or anyone's email address.

    manage.py send_reminders                  # once
    manage.py send_reminders --dry-run        # what it would send; sends and records nothing
    manage.py send_reminders --loop           # every 15 minutes until stopped (Ctrl-C or SIGTERM)
"""

from __future__ import annotations

import contextlib
import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from notifications.services import DEFAULT_DAYS_AHEAD, reminders_send

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 900
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Stop(Exception):
    """Raised by the signal handler to end a sleep between runs."""


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _drop_stale_connections() -> None:
    """A long-lived process: close database connections past their age or broken, as Django does between
    requests (never inside a transaction, which is where the tests run)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Command(BaseCommand):
    help = (
        "Email staff one digest each of statutory tasks coming due or overdue, reviews due and meetings to record. "
        "Never sends the same reminder twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days-ahead",
            type=int,
            default=DEFAULT_DAYS_AHEAD,
            help=f"Remind about items due within this many calendar days (default {DEFAULT_DAYS_AHEAD}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send and record nothing.")
        parser.add_argument("--loop", action="store_true", help="Keep running: run, sleep --interval seconds, repeat.")
        parser.add_argument(
            "--interval",
            type=int,
            default=DEFAULT_INTERVAL,
            help=f"With --loop: seconds between runs (default {DEFAULT_INTERVAL}).",
        )
        parser.add_argument("--max-runs", type=int, default=None, help="With --loop: stop after this many runs.")

    def handle(self, *args: Any, **options: Any) -> None:
        days_ahead: int = options["days_ahead"]
        interval: int = options["interval"]
        max_runs: int | None = options["max_runs"]
        if days_ahead < 0:
            raise CommandError("--days-ahead must be 0 or more.")
        if interval < 0:
            raise CommandError("--interval must be 0 or more seconds.")
        if max_runs is not None and max_runs < 1:
            raise CommandError("--max-runs must be 1 or more.")
        if not options["loop"]:
            self._run(days_ahead=days_ahead, dry_run=options["dry_run"])
            return
        self._loop(days_ahead=days_ahead, dry_run=options["dry_run"], interval=interval, max_runs=max_runs)

    def _run(self, *, days_ahead: int, dry_run: bool) -> None:
        result = reminders_send(days_ahead=days_ahead, dry_run=dry_run)
        self.stdout.write(result.summary)

    # --- The loop: stops cleanly between runs on SIGTERM or Ctrl-C ------------------------------------------

    def _loop(self, *, days_ahead: int, dry_run: bool, interval: int, max_runs: int | None) -> None:
        self._stopping = False
        self._sleeping = False
        previous = self._install_handlers()
        runs = 0
        try:
            while True:
                _drop_stale_connections()
                try:
                    self._run(days_ahead=days_ahead, dry_run=dry_run)
                except (KeyboardInterrupt, _Stop):
                    raise
                except Exception as error:  # one failed run must not end the loop: the next one retries
                    # The class only: an exception's message may quote data, and the logs must hold none.
                    logger.error("A reminders run failed (%s); the next run will try again.", type(error).__name__)
                    self.stderr.write(f"The run failed ({type(error).__name__}); trying again in {interval} seconds.")
                runs += 1
                if (max_runs is not None and runs >= max_runs) or self._stopping:
                    break
                self._sleeping = True
                try:
                    _sleep(interval)
                finally:
                    self._sleeping = False
                if self._stopping:
                    break
        except (KeyboardInterrupt, _Stop):
            pass
        finally:
            self._restore_handlers(previous)
        self.stdout.write(f"Stopped after {runs} {'run' if runs == 1 else 'runs'}.")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        if self._stopping:
            raise KeyboardInterrupt  # asked twice: stop now
        self._stopping = True
        if self._sleeping:
            raise _Stop
        # Otherwise a run is under way: it finishes (claims and emails stay consistent), then the loop ends.

    def _install_handlers(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for signum in STOP_SIGNALS:
            with contextlib.suppress(ValueError):  # not the main thread: Ctrl-C still raises KeyboardInterrupt
                previous[signum] = signal.signal(signum, self._stop)
        return previous

    def _restore_handlers(self, previous: dict[int, Any]) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
