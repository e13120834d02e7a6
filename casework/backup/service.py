"""Backups of the whole database and their restore, each checked against a manifest.

SQLite: the sqlite3 online backup API copies a consistent snapshot while the app runs (WAL).
PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot, so the digests in the
manifest describe exactly the rows in the dump; restore with ``pg_restore --clean``.

The manifest (JSON beside the backup, ``<file>.manifest.json``) records the migration head, the
per-table row counts and digests, the backup file's own SHA-256, when and by which version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from casework.backup import digests
from casework.core import clock
from casework.extensions import db

MANIFEST_FORMAT = 1
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}
PG_TIMEOUT_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore that could not be done; the message is one line for the operator."""


@dataclasses.dataclass
class Manifest:
    backend: str
    file: str
    file_sha256: str
    created_at: str
    app_version: str
    migration_head: str | None
    tables: dict[str, dict[str, Any]]
    format: int = MANIFEST_FORMAT
    # The last audit row in the backup: `flask audit verify --anchor <manifest>` later proves the
    # log up to it was neither cut short nor rewritten.
    audit_head: dict[str, Any] | None = None

    @property
    def row_count(self) -> int:
        return sum(t["rows"] for t in self.tables.values())

    def summary(self) -> str:
        return (f"{len(self.tables)} tables, {self.row_count:,} rows, "
                f"migration head {self.migration_head or 'none'}")


@dataclasses.dataclass
class RestoreResult:
    tables: int
    rows: int
    migration_head: str | None


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def read_manifest(backup: Path) -> Manifest:
    path = manifest_path(backup)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except FileNotFoundError:
        raise BackupError(f"no manifest beside the backup (expected {path.name})") from None
    except (ValueError, TypeError) as exc:
        raise BackupError(f"the manifest {path.name} is not readable: {exc}") from None


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def app_version() -> str:
    try:
        return importlib.metadata.version("casework")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def backend() -> str:
    name = db.engine.dialect.name
    if name not in SUFFIX:
        raise BackupError(f"backups are not supported for the {name} database")
    return name


def default_path() -> Path:
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "backups" / f"casework-{stamp}{SUFFIX[backend()]}"


# --- SQLite -------------------------------------------------------------------------------------

def _sqlite_file() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("the SQLite database must be a file to back it up or restore it")
    return Path(database)


@contextmanager
def _sqlite_engine(path: Path) -> Iterator[sa.Connection]:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _sqlite_copy(source: Path, target: Path) -> None:
    """The online backup API: one consistent snapshot of ``source`` written over ``target``."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


State = tuple[str | None, dict[str, digests.TableDigest], dict[str, Any] | None]


def _state(connection: sa.Connection) -> State:
    """Migration head, per-table digests and the audit chain's last row, from one connection."""
    return (digests.migration_head(connection), digests.all_digests(connection),
            digests.audit_head(connection))


def _sqlite_state(path: Path) -> State:
    with _sqlite_engine(path) as connection:
        return _state(connection)


# --- PostgreSQL ---------------------------------------------------------------------------------

def pg_environment(url: sa.URL) -> dict[str, str]:
    """libpq settings for pg_dump/pg_restore; the password travels in the environment only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    # A restore waits at most this long for another session's lock instead of hanging.
    env["PGOPTIONS"] = "-c lock_timeout=30s"
    return env


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client programs are needed)")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    # S603: args is a fixed list (a program found by shutil.which plus our own options and
    # paths); no shell, and the password is only in env, never on the command line.
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True,  # noqa: S603
                              timeout=PG_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{Path(args[0]).name} did not finish in {PG_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise BackupError(f"{Path(args[0]).name} failed: {reason}")


def _pg_create(out: Path) -> State:
    """Dump inside one exported snapshot and digest the same snapshot."""
    url = db.engine.url
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection, connection.begin():
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            _run([_program("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                  f"--file={out}"], pg_environment(url))
            return _state(connection)
    finally:
        engine.dispose()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_restore(path: Path, manifest: Manifest) -> State:
    """One transaction: drop the tables the backup does not have (created by a later migration),
    then ``pg_restore --clean`` drops and recreates everything the backup holds. On any error
    psql stops and the transaction rolls back, leaving the database as it was."""
    url = db.engine.url
    env = pg_environment(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            extra = [name for name in digests.table_names(connection) if name not in manifest.tables]
    finally:
        engine.dispose()
    psql_args = [_program("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
                 "--set=ON_ERROR_STOP=1"]
    if extra:
        psql_args.append("--command=DROP TABLE IF EXISTS "
                         + ", ".join(_quote(name) for name in extra) + " CASCADE")
    psql_args.append("--file=-")
    dump_args = [_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-", str(path)]
    _pipe(dump_args, psql_args, env)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return _state(connection)
    finally:
        engine.dispose()


def _pipe(first: list[str], second: list[str], env: dict[str, str]) -> None:
    """Run ``first | second`` without a shell; fail with the last error line of either."""
    with tempfile.TemporaryFile() as err1, tempfile.TemporaryFile() as err2:
        # S603: fixed argument lists (programs found by shutil.which); no shell.
        producer = subprocess.Popen(first, env=env, stdout=subprocess.PIPE, stderr=err1)  # noqa: S603
        consumer = subprocess.Popen(second, env=env, stdin=producer.stdout,  # noqa: S603
                                    stdout=subprocess.DEVNULL, stderr=err2)
        assert producer.stdout is not None
        producer.stdout.close()  # the consumer holds the pipe; the producer sees SIGPIPE if it quits
        try:
            consumer.wait(timeout=PG_TIMEOUT_SECONDS)
            producer.wait(timeout=60)
        except subprocess.TimeoutExpired:
            producer.kill()
            consumer.kill()
            raise BackupError(f"the restore did not finish in {PG_TIMEOUT_SECONDS} s") from None
        for proc, err, args in ((consumer, err2, second), (producer, err1, first)):
            err.seek(0)
            lines = [line for line in err.read().decode(errors="replace").splitlines() if line.strip()]
            if proc.returncode != 0:
                errors = [line for line in lines if "ERROR" in line or "FATAL" in line]
                reason = (errors or lines or [f"exit status {proc.returncode}"])[-1]
                raise BackupError(f"{Path(args[0]).name} failed: {reason}")


# --- create, verify, restore --------------------------------------------------------------------

def create(out: Path | None = None) -> tuple[Path, Manifest]:
    kind = backend()
    out = (out or default_path()).resolve()
    if out.exists():
        raise BackupError(f"{out} already exists; choose another name")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if kind == "sqlite":
            _sqlite_copy(_sqlite_file(), out)
            head, tables, audit_head = _sqlite_state(out)
        else:
            head, tables, audit_head = _pg_create(out)
    except (sqlite3.Error, sa.exc.SQLAlchemyError) as exc:
        out.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {str(exc).splitlines()[0]}") from None
    except BackupError:
        out.unlink(missing_ok=True)
        raise
    manifest = Manifest(
        backend=kind, file=out.name, file_sha256=file_sha256(out),
        created_at=clock.now().isoformat(timespec="seconds"), app_version=app_version(),
        migration_head=head, tables={name: d.as_dict() for name, d in tables.items()},
        audit_head=audit_head,
    )
    manifest_path(out).write_text(json.dumps(dataclasses.asdict(manifest), indent=2) + "\n",
                                  encoding="utf-8")
    return out, manifest


def verify(path: Path) -> Manifest:
    """Check a backup file against its manifest without touching the database."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    manifest = read_manifest(path)
    if file_sha256(path) != manifest.file_sha256:
        raise BackupError(f"{path.name} does not match its manifest (file changed or damaged)")
    if manifest.backend == "sqlite":
        try:
            head, tables, _ = _sqlite_state(path)
        except sa.exc.SQLAlchemyError as exc:
            raise BackupError(f"{path.name} is not a readable SQLite backup: "
                              f"{str(getattr(exc, 'orig', None) or exc).splitlines()[0]}") from None
        _compare(manifest, head, tables, "backup file")
    else:
        _run([_program("pg_restore"), "--list", str(path)], dict(os.environ))
    return manifest


def restore(path: Path) -> RestoreResult:
    """Replace the database with the backup, then prove it equals the manifest."""
    kind = backend()
    if path.is_file() and (found := read_manifest(path).backend) != kind:
        raise BackupError(f"this is a {found} backup; the database is {kind}")
    manifest = verify(path)
    db.session.remove()
    db.engine.dispose()
    try:
        if kind == "sqlite":
            target = _sqlite_file()
            _sqlite_copy(path, target)
            head, tables, _ = _sqlite_state(target)
        else:
            head, tables, _ = _pg_restore(path, manifest)
    except (sqlite3.Error, sa.exc.SQLAlchemyError) as exc:
        raise BackupError(f"restore failed: {str(exc).splitlines()[0]}") from None
    _compare(manifest, head, tables, "restored database")
    return RestoreResult(tables=len(tables), rows=sum(t.rows for t in tables.values()),
                         migration_head=head)


def _compare(manifest: Manifest, head: str | None, tables: dict[str, digests.TableDigest],
             what: str) -> None:
    problems = digests.differences(manifest.tables, tables)
    if head != manifest.migration_head:
        problems.insert(0, f"migration head {head}, backup had {manifest.migration_head}")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise BackupError(f"{what} differs from the manifest: {'; '.join(problems[:3])}{more}")
