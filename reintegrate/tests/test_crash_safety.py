"""A server killed in the middle of writes leaves no partial record.

Recording a suspension writes the suspension, its reasons, its draft reintegration plan and its statutory
duties in one transaction (suspensions.services.suspension_record). Two tests check that a crash can only
ever leave all of it or none of it:

1. test_killing_the_server_during_many_writes_leaves_no_partial_record: a real server process (the
   project's WSGI application under the standard library's threaded wsgiref server, on 127.0.0.1 and a free
   port) with its own file-based SQLite database in tmp_path, migrated first. A signed-in, two-factor-verified
   session is written into that database beforehand. Many suspensions are posted at once from several
   threads, and the server is killed with SIGKILL while requests are still in flight. Afterwards every
   suspension has its plan, its reasons and the same duties as every other, and no plan lacks its suspension.
2. test_a_process_killed_inside_the_transaction_leaves_nothing: deterministic: a child process records a
   suspension whose plan creation kills the process (SIGKILL) after the suspension row has been written
   inside the transaction. Nothing of it is left in the database.

Both run everything that touches the database in child processes, against a database file of their own:
the test process only reads that file afterwards, with sqlite3.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3._functions import register as register_django_functions

ROOT = Path(settings.BASE_DIR)
STEP_TIMEOUT = 120  # seconds for a child process (migrating a new database takes a few seconds)
REQUEST_TIMEOUT = 20
PUPILS = 40
SENDERS = 8
RECORDED = re.compile(r"^/suspensions/\d+/$")  # where the page goes after recording (not the two-factor page)

SETUP = r"""
import json, sys
from datetime import timedelta
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from schools.models import Membership, Role, School
from schools.selectors import school_calendar
from schools.services import academic_year_create
from suspensions.models import reason_codes_valid_on
from testsupport.factories import MembershipFactory, PupilFactory

today = timezone.localdate()
start_year = today.year if today.month >= 9 else today.year - 1
school = School.objects.create(name="Crashtest Academy", urn="999777", local_authority="Exampleshire", address="-")
academic_year_create(school=school, start_year=start_year)
academic_year_create(school=school, start_year=start_year + 1)
head = MembershipFactory(school=school, role=Role.HEADTEACHER, user__username="crashhead").user
device = TOTPDevice.objects.create(user=head, name="Authenticator app", confirmed=True)
calendar = school_calendar(school)
day = today + timedelta(days=1)
while not calendar.is_school_day(day):
    day += timedelta(days=1)
pupils = [PupilFactory(school=school, year_group="9").pk for _ in range(int(sys.argv[1]))]
session = SessionStore()
session[SESSION_KEY] = str(head.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = head.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.create()
print(json.dumps({
    "session": session.session_key,
    "csrf": _get_new_csrf_string(),
    "pupils": pupils,
    "start_date": day.strftime("%d/%m/%Y"),
    "start_iso": day.isoformat(),
    "reason": reason_codes_valid_on(day).get(code="DB").pk,
    "decided_by": Membership.objects.get(user=head).pk,
}))
"""

SERVE = r"""
import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
django.setup()
from django.core.wsgi import get_wsgi_application


class ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=ThreadedServer, handler_class=QuietHandler)
print(server.server_port, flush=True)
server.serve_forever()
"""

# Records one suspension, and is killed (SIGKILL, no clean-up of any kind) when the plan is about to be created:
# the suspension row and its reasons are already written inside the open transaction.
KILLED_MID_TRANSACTION = r"""
import json, os, signal, sys
from datetime import date
import django
django.setup()
from django.contrib.auth.models import User
from plans.models import ReintegrationPlan
from pupils.models import Pupil
from suspensions.models import ReasonCode, Suspension
from suspensions.services import suspension_record

world = json.loads(sys.argv[1])
head = User.objects.get(username="crashhead")
pupil = Pupil.objects.get(pk=world["pupils"][0])


def die(*args, **kwargs):
    assert Suspension.objects.filter(pupil=pupil).exists()  # written, not yet committed
    print("killing", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


ReintegrationPlan.objects.create = die
suspension_record(
    pupil=pupil,
    kind=Suspension.Kind.SUSPENSION,
    start_date=date.fromisoformat(world["start_iso"]),
    sessions=2,
    reasons=[ReasonCode.objects.get(pk=world["reason"])],
    incident_summary="Fictional incident.",
    decided_by=head,
    recorded_by=head,
)
print("not killed", flush=True)
"""


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DATABASE_URL=f"sqlite:///{database}?timeout=30",
        DJANGO_SETTINGS_MODULE="reintegrate.settings",
        DEBUG="true",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="ERROR",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 (our own interpreter and scripts)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database file with every migration applied (once for the module: it takes a few seconds)."""
    database = tmp_path_factory.mktemp("crash") / "migrated.sqlite3"
    _run(["manage.py", "migrate", "--noinput"], _env(database))
    return database


@pytest.fixture
def crash_world(migrated_database: Path, tmp_path: Path) -> tuple[Path, dict[str, str], dict]:
    """A database file of its own with a school, its headteacher (signed in, with a verified code) and pupils."""
    database = tmp_path / "crash.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{migrated_database}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{database}{suffix}")
    env = _env(database)
    setup = tmp_path / "setup_world.py"
    setup.write_text(SETUP)
    world = json.loads(_run([str(setup), str(PUPILS)], env).stdout.strip().splitlines()[-1])
    return database, env, world


def _consistency(database: Path) -> dict[str, object]:
    """What a crash could have broken, read straight from the database file (sqlite3 recovers its journal)."""
    with sqlite3.connect(database, timeout=30) as db:
        register_django_functions(db)  # the CHECK constraints call them
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        duty_counts = {
            row[0]
            for row in db.execute(
                "SELECT COUNT(d.id) FROM suspensions_suspension s "
                "LEFT JOIN duties_duty d ON d.suspension_id = s.id GROUP BY s.id"
            )
        }
        return {
            "integrity": one("PRAGMA integrity_check"),
            "suspensions": one("SELECT COUNT(*) FROM suspensions_suspension"),
            "without_plan": one(
                "SELECT COUNT(*) FROM suspensions_suspension s "
                "LEFT JOIN plans_reintegrationplan p ON p.suspension_id = s.id WHERE p.id IS NULL"
            ),
            "without_reasons": one(
                "SELECT COUNT(*) FROM suspensions_suspension s WHERE NOT EXISTS "
                "(SELECT 1 FROM suspensions_suspension_reasons r WHERE r.suspension_id = s.id)"
            ),
            "plans_without_suspension": one(
                "SELECT COUNT(*) FROM plans_reintegrationplan p "
                "LEFT JOIN suspensions_suspension s ON s.id = p.suspension_id WHERE s.id IS NULL"
            ),
            "duties_without_suspension": one(
                "SELECT COUNT(*) FROM duties_duty d LEFT JOIN suspensions_suspension s ON s.id = d.suspension_id "
                "WHERE d.suspension_id IS NOT NULL AND s.id IS NULL"
            ),
            "duty_counts": duty_counts,
        }


def test_killing_the_server_during_many_writes_leaves_no_partial_record(crash_world, tmp_path):
    database, env, world = crash_world
    serve = tmp_path / "serve.py"
    serve.write_text(SERVE)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, str(serve)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().strip() or 0)
        assert port > 0, "the server did not start"

        cookie = f"sessionid={world['session']}; csrftoken={world['csrf']}"
        body = {
            "csrfmiddlewaretoken": world["csrf"],
            "kind": "suspension",
            "start_date": world["start_date"],
            "start_session": "am",
            "sessions": "2",
            "reasons": str(world["reason"]),
            "incident_summary": "Fictional incident: left the lesson and refused to return.",
            "decided_by": str(world["decided_by"]),
            "exam_date": "",
        }
        queue = list(world["pupils"])
        lock = threading.Lock()
        recorded: list[int] = []
        in_flight: set[int] = set()
        failed: list[str] = []
        at_kill: dict[str, int] = {}

        def send() -> None:
            while True:
                with lock:
                    if not queue or at_kill:
                        return
                    pupil_id = queue.pop()
                    in_flight.add(pupil_id)
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                try:
                    connection.request(
                        "POST",
                        f"/suspensions/record/{pupil_id}/",
                        body=urllib.parse.urlencode(body),
                        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                    )
                    response = connection.getresponse()
                    response.read()
                    with lock:
                        in_flight.discard(pupil_id)
                        if response.status == 302 and RECORDED.match(response.getheader("Location") or ""):
                            recorded.append(pupil_id)
                        else:
                            failed.append(f"{pupil_id}: {response.status}")
                except (OSError, http.client.HTTPException):
                    return  # the server was killed
                finally:
                    connection.close()

        senders = [threading.Thread(target=send) for _ in range(SENDERS)]
        for sender in senders:
            sender.start()
        # Kill once a few suspensions are in, while the other senders' requests are still being handled.
        deadline = time.perf_counter() + STEP_TIMEOUT
        while time.perf_counter() < deadline:
            with lock:
                if len(recorded) >= 3 and in_flight:
                    at_kill.update(recorded=len(recorded), in_flight=len(in_flight))
                    break
                if failed or not (queue or in_flight):
                    break
            time.sleep(0.005)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=STEP_TIMEOUT)
        for sender in senders:
            sender.join(REQUEST_TIMEOUT + 5)
        assert not any(sender.is_alive() for sender in senders)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=STEP_TIMEOUT)
        log.close()

    assert failed == [], (tmp_path / "server.log").read_text()[-3000:]
    assert at_kill, "the server was not killed while requests were in flight"
    state = _consistency(database)
    assert state["integrity"] == "ok"
    assert state["suspensions"] >= at_kill["recorded"]
    assert state["suspensions"] < PUPILS  # the kill stopped the run part-way
    assert state["without_plan"] == 0
    assert state["without_reasons"] == 0
    assert state["plans_without_suspension"] == 0
    assert state["duties_without_suspension"] == 0
    assert len(state["duty_counts"]) == 1  # every suspension has the same duties: none has only some of them
    assert next(iter(state["duty_counts"])) > 0


def test_a_process_killed_inside_the_transaction_leaves_nothing(crash_world, tmp_path):
    database, env, world = crash_world
    script = tmp_path / "killed.py"
    script.write_text(KILLED_MID_TRANSACTION)

    result = subprocess.run(  # noqa: S603
        [sys.executable, str(script), json.dumps(world)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )

    assert result.returncode == -signal.SIGKILL, result.stderr[-3000:]
    assert result.stdout.strip() == "killing"
    state = _consistency(database)
    assert state["integrity"] == "ok"
    assert state["suspensions"] == 0
    assert state["plans_without_suspension"] == 0
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM suspensions_suspension_reasons").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM duties_duty").fetchone()[0] == 0
