"""Backups of the whole database: SQLite's online backup API, or pg_dump / pg_restore for PostgreSQL.

Used by `manage.py backup` and `manage.py restore`. A backup is a single file: a SQLite database, or a
PostgreSQL custom-format dump. Restoring replaces everything in the database with the backup's contents.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why and what to do."""


def _settings(alias: str) -> dict[str, Any]:
    return connections[alias].settings_dict


def _is_sqlite(alias: str) -> bool:
    return connections[alias].vendor == "sqlite"


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found. Install the PostgreSQL client tools (Debian: postgresql-client).")
    return found


def backup_database(destination: Path, *, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `destination`, while the application keeps running."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    if _is_sqlite(alias):
        connection.ensure_connection()
        source = connection.connection
        target = sqlite3.connect(destination)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
        return destination
    db = _settings(alias)
    result = subprocess.run(  # noqa: S603
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(destination), *_pg_args(db)],
        env=_pg_env(db),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return destination


def restore_database(source: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    connection = connections[alias]
    if _is_sqlite(alias):
        try:
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite backup: {exc}") from exc
        connection.ensure_connection()
        try:
            with connection.connection:
                backup.backup(connection.connection)
        finally:
            backup.close()
        return
    connection.close()
    db = _settings(alias)
    result = subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *_pg_args(db),
            str(source),
        ],
        env=_pg_env(db),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
