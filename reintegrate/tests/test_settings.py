"""The settings module, imported in a fresh interpreter with a controlled environment.

Each test starts a subprocess so that a refused configuration stops that interpreter, not the test run.
The suite itself may run on SQLite (in memory) or PostgreSQL, so the SQLite checks use their own database file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
OUR_VARIABLES = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DATABASE_CONN_MAX_AGE")

PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"DEBUG": settings.DEBUG, "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]),
                  "OPTIONS": db.get("OPTIONS", {}), "ALLOWED_HOSTS": settings.ALLOWED_HOSTS}))
"""

JOURNAL_MODE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in OUR_VARIABLES and not any(name == f"{ours}_FILE" for ours in OUR_VARIABLES)
    }
    clean["DJANGO_SETTINGS_MODULE"] = "reintegrate.settings"
    clean.update(env)
    return subprocess.run(  # noqa: S603 - the test's own interpreter, with code written in this file
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(**env: str) -> dict:
    result = run_python(PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_without_a_secret_key_refuses_to_start_and_says_why():
    result = run_python("import reintegrate.settings", DEBUG="false")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is false." in result.stderr


def test_production_with_the_development_secret_key_refuses_to_start():
    result = run_python(
        "import reintegrate.settings",
        DEBUG="false",
        SECRET_KEY="django-insecure-development-only-key-do-not-use-in-production",
    )

    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(
        "import reintegrate.settings", DEBUG="false", SECRET_KEY="a-long-random-production-secret-for-the-test"
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host names when DEBUG is false." in result.stderr


def test_production_with_a_secret_key_and_hosts_starts_with_debug_off():
    values = settings_with(
        DEBUG="false", SECRET_KEY="a-long-random-production-secret-for-the-test", ALLOWED_HOSTS="school.example"
    )

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["school.example"]


def test_a_blank_secret_key_in_development_falls_back_to_the_development_key():
    values = settings_with(SECRET_KEY="")

    assert values["DEBUG"] is True


def test_a_blank_secret_key_in_production_refuses_to_start():
    result = run_python("import reintegrate.settings", DEBUG="false", SECRET_KEY="  ")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false." in result.stderr


def test_a_secret_key_can_be_read_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("a-long-random-production-secret-from-a-file\n", encoding="utf-8")

    result = run_python(
        "from django.conf import settings; print(settings.SECRET_KEY)",
        DEBUG="false",
        SECRET_KEY_FILE=str(secret),
        ALLOWED_HOSTS="school.example",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-long-random-production-secret-from-a-file"


def test_a_mysql_database_url_refuses_to_start_and_says_which_databases_work():
    result = run_python("import reintegrate.settings", DATABASE_URL="mysql://user:secret@db.example/reintegrate")

    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:// or postgres://" in result.stderr


def test_a_debug_value_that_is_not_true_or_false_refuses_to_start_and_names_the_variable():
    result = run_python("import reintegrate.settings", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_a_postgres_database_url_configures_postgresql():
    values = settings_with(DATABASE_URL="postgres://reintegrate@db.example:5432/reintegrate")

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "reintegrate"
    assert "init_command" not in values["OPTIONS"]


def test_the_default_database_is_sqlite_in_wal_mode_with_immediate_transactions():
    values = settings_with()

    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert values["OPTIONS"] == {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}


def test_sqlite_options_given_in_the_database_url_are_kept_alongside_wal(tmp_path):
    values = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}?timeout=20")

    assert values["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def test_a_sqlite_database_really_opens_in_wal_mode(tmp_path):
    # The test database of this run is in memory (or PostgreSQL), where WAL does not apply, so a
    # fresh interpreter opens a SQLite file configured exactly as the default database is.
    result = run_python(JOURNAL_MODE, DATABASE_URL=f"sqlite:///{tmp_path / 'wal-check.sqlite3'}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"


def test_the_deployment_checklist_is_clean_with_production_settings():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DEBUG="false",
        SECRET_KEY="k3Jd8-a-long-random-production-secret-with-enough-characters-and-variety-Q9x",
        ALLOWED_HOSTS="school.example",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
