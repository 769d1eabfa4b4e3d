"""Reaching the database: SQLite by default (one private file), PostgreSQL for teams.

Connection rules: SQLite runs in WAL with a busy timeout and foreign keys; a write
transaction starts with BEGIN IMMEDIATE so read-then-write work is serialised; any connection
returned to the pool still inside a transaction is rolled back (no ghost commits). PostgreSQL
gets `hide_parameters` and a lock timeout; writes that must be race-free take an advisory lock.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from leadctl.errors import DatabaseUnavailable, LeadctlError, StoreBug
from leadctl.i18n import _

if TYPE_CHECKING:
    from leadctl.settings import Settings

# progress(stage, done, total) of a long migration, drawn on stderr by the command line
Progress = Callable[[str, int, int], None]
# bump with every migration; alembic is imported only when this differs from the database's
HEAD_REVISION = "0006"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
WRITE = "leadctl_write"


# query parameters that carry a credential, matched in any case as parts of the name: libpq's
# password, sslpassword, passfile and sslkey, and any driver's token, secret or auth
_SECRET_PARTS = ("pass", "pwd", "secret", "token", "key", "auth", "cred")


def mask_url(url: str) -> str:
    """The URL as messages show it: every credential it can carry masked — the password of the
    userinfo and every query parameter named like one (`?password=`, `sslpassword`,
    `passfile`) — and a URL that cannot be read not shown at all."""
    try:
        parsed = make_url(url)
        query = {
            key: "***" if any(part in key.lower() for part in _SECRET_PARTS) else value
            for key, value in parsed.query.items()
        }
        shown = parsed.set(query=query).render_as_string(hide_password=True)
        return shown.replace("=%2A%2A%2A", "=***")  # as the password is masked, unquoted
    except (ArgumentError, ValueError, TypeError):  # a bad port or bracket: ValueError
        return "<unreadable database URL>"


@dataclass
class Store:
    engine: Engine
    label: str  # what to call the database in messages (path, or URL with password masked)
    dialect: str
    # a named SQLite file this run created (`add`, `import`, `team add`): removed again when
    # the command is refused and nothing was written into it (forget_if_unused)
    created: Path | None = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, translate_errors(self.label):
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed at the end, rolled back on any error."""
        engine = self.engine.execution_options(**{WRITE: True})
        with (
            translate_errors(self.label),
            Session(engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def serialize(self, session: Session, key: int) -> None:
        """Make read-then-write work race-free (duplicates, numbering, wake).

        SQLite write transactions already hold the write lock (BEGIN IMMEDIATE); PostgreSQL takes a
        transaction-scoped advisory lock.
        """
        if self.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def close(self) -> None:
        self.engine.dispose()


LOCK_LEADS = 7_001  # advisory lock keys
LOCK_WAKE = 7_002


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return first[:200]


INTEGRITY = ("IntegrityError", "UniqueViolation", "ForeignKeyViolation", "NotNullViolation",
             "CheckViolation", "DataError")  # fmt: skip


def _bug(exc: DBAPIError) -> StoreBug:
    """A statement the program should never have sent, described without its values.

    PostgreSQL's message goes on with `DETAIL: Failing row contains (…)` or `Key (e164)=(…)`:
    customers' names and phones. Only names of things (table, column, constraint) are kept.
    """
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:
        where = [
            f"{what} {value}"
            for what, value in (
                ("table", diag.table_name),
                ("column", diag.column_name),
                ("constraint", diag.constraint_name),
            )
            if value
        ]
        summary = f"SQLSTATE {getattr(orig, 'sqlstate', None) or '?'}"
        if where:
            summary += f" on {', '.join(where)}"
    else:  # SQLite names the constraint and column, never the values
        summary = _reason(exc)
    return StoreBug(f"{type(orig).__name__}: {summary} (values withheld: they may be personal)")


@contextmanager
def translate_errors(label: str) -> Iterator[None]:
    """Turn driver errors about the database itself into exit 3 with one clean line.

    No message repeats the values of a statement (customer data): only the driver's first line,
    which names the problem, is kept; a statement that is a bug (a constraint violated) becomes a
    StoreBug without its values.
    """
    try:
        yield
    except DBAPIError as exc:
        reason = _reason(exc)
        low = reason.lower()
        if "locked" in low or "lock timeout" in low or "could not obtain lock" in low:
            raise DatabaseUnavailable(
                _(
                    "The database {label} stayed locked by another leadctl past the lock "
                    "timeout; try again in a moment (or raise lock_timeout)."
                ).format(label=label)
            ) from None
        if "nul (0x00)" in low:  # psycopg refuses NUL before sending: nothing was written
            raise LeadctlError(
                _(
                    "A value contains a NUL character, which PostgreSQL cannot store or search "
                    "for; remove it."
                )
            ) from None
        if isinstance(exc.orig, Exception) and type(exc.orig).__name__ in INTEGRITY:
            raise _bug(exc) from None
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            # a file that is not SQLite at all was refused before it was opened (open_store)
            raise DatabaseUnavailable(
                _("The database {label} is damaged; restore it from a backup.").format(label=label)
            ) from None
        postgres = label.split(":", 1)[0].startswith("postgres")  # the masked URL
        if ("readonly" in low or "read-only" in low) and postgres:
            raise DatabaseUnavailable(
                # TRANSLATORS: {reason} is the database server's own message, in English
                _(
                    "The database {label} accepts no writes ({reason}); point LEADCTL_DB at the "
                    "primary server."
                ).format(label=label, reason=reason)
            ) from None
        if "readonly" in low or "read-only" in low:
            raise DatabaseUnavailable(
                # TRANSLATORS: {reason} is SQLite's own message, in English
                _(
                    "Cannot write the database {label} ({reason}); check the permissions of the "
                    "file, of its -wal and -shm files, and of its folder."
                ).format(label=label, reason=reason)
            ) from None
        if "unable to open" in low:
            raise DatabaseUnavailable(
                # TRANSLATORS: {reason} is SQLite's own message, in English
                _(
                    "Cannot open the database {label} ({reason}); check the permissions of the "
                    "file, of its -wal and -shm files, and of its folder."
                ).format(label=label, reason=reason)
            ) from None
        if "disk" in low and ("full" in low or "i/o" in low):
            raise DatabaseUnavailable(
                # TRANSLATORS: {reason} is the database's own message, in English
                _("Cannot write the database {label}: {reason}. Free some disk space.").format(
                    label=label, reason=reason
                )
            ) from None
        if isinstance(exc, OperationalError) and postgres:
            raise DatabaseUnavailable(
                # TRANSLATORS: {reason} is the database server's own message, in English
                _(
                    "The database {label} is unavailable: {reason}. Check that the server is "
                    "running and that LEADCTL_DB (or --db) names the right host, database and "
                    "user."
                ).format(label=label, reason=reason)
            ) from None
        raise DatabaseUnavailable(
            # TRANSLATORS: {reason} is the database's own message, in English
            _("The database {label} is unavailable: {reason}.").format(label=label, reason=reason)
        ) from None


def _sqlite_path(db: str | None, env_default: Path) -> Path:
    if db is None:
        return env_default
    if db.startswith("sqlite:///"):
        return Path(db[len("sqlite:///") :])
    return Path(db).expanduser()


def _create_private_file(path: Path, *, default_dir: bool) -> None:
    """Create the database file 0600 before SQLite opens it, so -wal/-shm inherit the mode."""
    parent = path.parent
    try:
        if not parent.exists():
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if default_dir:
                os.chmod(parent, 0o700)
    except OSError as exc:
        raise DatabaseUnavailable(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _(
                "Cannot create the folder {folder}: {reason}; check the permissions of the "
                "folders above it."
            ).format(folder=parent, reason=exc.strerror)
        ) from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseUnavailable(
            # TRANSLATORS: {reason} is the operating system's own message, in English
            _(
                "Cannot open or create the database {path}: {reason}; check the permissions "
                "of its folder."
            ).format(path=path, reason=exc.strerror)
        ) from None
    os.close(fd)
    os.chmod(path, 0o600)


def _align_side_files(path: Path) -> None:
    """Give -wal/-shm back the database's mode when they are less writable than it.

    SQLite creates them with the database's mode: one run on a read-only database leaves a
    read-only -shm behind, and every write fails on it after `chmod 600 leads.db` has been fixed.
    """
    try:
        if not os.access(path, os.W_OK):
            return
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        try:
            if side.exists() and not os.access(side, os.W_OK):
                os.chmod(side, mode)
        except OSError:
            pass  # not ours to change: the error then names the -wal and -shm files


def _warn_if_shared(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    # only a file holds the data: a folder's (or a device's) mode says nothing about it
    if stat.S_ISREG(mode) and mode & (stat.S_IRGRP | stat.S_IROTH):
        from leadctl.render.common import warn

        warn(
            _(
                "Warning: the database {path} is readable by other users; "
                "run `chmod 600 {path}` to keep customer data private."
            ).format(path=path)
        )


def lock_timeout_ms(seconds: float) -> int:
    """lock_timeout (a positive number of seconds, settings.py) in whole milliseconds, the same
    on both engines: never 0, which PostgreSQL reads as "wait forever" and SQLite as "never"."""
    return max(1, math.ceil(seconds * 1000))


def _sqlite_engine(url: str, lock_timeout: float, **options: Any) -> Engine:
    wait_ms = lock_timeout_ms(lock_timeout)
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"timeout": wait_ms / 1000, "check_same_thread": False},
        **options,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # we emit BEGIN ourselves (pysqlite's own transaction handling is off)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {wait_ms:d}")
        # WAL is switched on by ensure_schema, once the file is known to be ours
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        # a COMMIT that failed with "database is locked" leaves the transaction open: never
        # let the next user of this connection commit it
        if dbapi_connection is not None and dbapi_connection.in_transaction:
            dbapi_connection.rollback()

    return engine


def _postgres_engine(url: str, lock_timeout: float) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseUnavailable(
            _(
                "PostgreSQL needs the postgres extra: run pip install '.[postgres]' in "
                "leadctl's folder (or pip install 'psycopg[binary]')."
            )
        ) from None
    try:
        sa_url = make_url(url)
        port = sa_url.port  # read lazily: `:abc`, or a bracket left open (`[::1/x`), fails here
    except (ArgumentError, ValueError):
        raise DatabaseUnavailable(
            _(
                "The database URL cannot be read: write it as "
                "postgresql+psycopg://user:password@host:5432/database."
            )
        ) from None
    if port is not None and not 0 < port < 65536:
        raise DatabaseUnavailable(
            _("The port {port} of the database URL is not a port: use 1 to 65535.").format(
                port=port
            )
        )
    if sa_url.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise DatabaseUnavailable(
            _(
                "leadctl reaches PostgreSQL through psycopg only: begin the URL with "
                "postgresql+psycopg:// or postgresql://, not {scheme}://."
            ).format(scheme=sa_url.drivername)
        )
    sa_url = sa_url.set(drivername="postgresql+psycopg")
    try:
        return create_engine(
            sa_url,
            hide_parameters=True,
            connect_args={
                "connect_timeout": 5,
                "options": f"-c lock_timeout={lock_timeout_ms(lock_timeout):d}",
            },
        )
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseUnavailable(
            # TRANSLATORS: {reason} is SQLAlchemy's own message, in English
            _("Cannot use the database URL {url}: {reason}.").format(url=mask_url(url), reason=exc)
        ) from None


def is_postgres_url(db: str | None) -> bool:
    return bool(db) and db.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")  # type: ignore[union-attr]


# What opening does with an explicitly named SQLite file (--db, LEADCTL_DB, the config's db) that
# does not exist (SPEC §6.4): "create" it (add, import, team add); "read" an empty database in
# its place, with a warning (commands that only read); "refuse" (commands that change what a
# database holds: nothing there to change). The default database is always created.
IfMissing = Literal["create", "read", "refuse"]
SQLITE_HEADER = b"SQLite format 3\x00"


def open_store(
    settings: Settings, progress: Progress | None = None, *, if_missing: IfMissing = "create"
) -> Store:
    """Open (and on first use create) the database, migrating it to this program's schema
    (with progress of a long migration)."""
    db = settings.db
    if db is not None and if_missing != "create" and not is_postgres_url(db):
        path = sqlite_file(db)
        if _does_not_exist(path):
            return _missing(path, settings, if_missing)
    new = None
    if db is not None and not is_postgres_url(db):
        path = sqlite_file(db)
        new = path if _does_not_exist(path) else None
    store = connect(db, settings.lock_timeout, named_by=settings.db_from)
    store.created = new
    try:
        ensure_schema(store, progress)
    except BaseException:
        store.close()
        if new is not None:
            _remove_database_file(new)
        raise
    return store


def forget_if_unused(store: Store) -> None:
    """Close `store`; a file it created this run goes again if no lead or member was written
    into it (a refused `add`, `import` or `team add` leaves no database behind a typo)."""
    created = store.created
    empty = False
    if created is not None:
        from sqlalchemy import func
        from sqlalchemy import select as sa_select

        from leadctl.store.tables import Lead, Member

        try:
            with store.read() as session:
                empty = not any(
                    session.execute(sa_select(func.count()).select_from(table)).scalar()
                    for table in (Lead, Member)
                )
        except Exception:
            empty = False  # unreadable: leave it as it is
    store.close()
    if empty and created is not None:
        _remove_database_file(created)


def _remove_database_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def sqlite_file(db: str | None) -> Path:
    """The file a database setting names (None: the default database)."""
    from leadctl.settings import default_db_path

    if db and "://" in db and not db.startswith("sqlite:///"):
        raise DatabaseUnavailable(
            _("Unsupported database {url}: use a file path or postgresql+psycopg://…").format(
                url=mask_url(db)
            )
        )
    return _sqlite_path(db, default_db_path({}))


def connect(db: str | None, lock_timeout: float, *, named_by: str | None) -> Store:
    """The database a setting names (`named_by`; None: the default database), schema unchecked;
    a SQLite file is created (0600) when it does not exist."""
    if is_postgres_url(db):
        assert db is not None
        return Store(_postgres_engine(db, lock_timeout), mask_url(db), "postgresql")
    path = sqlite_file(db)
    _refuse_non_sqlite(path, named_by)
    _create_private_file(path, default_dir=db is None)
    _align_side_files(path)
    _warn_if_shared(path)
    return Store(_sqlite_engine(f"sqlite:///{path}", lock_timeout), str(path), "sqlite")


def _does_not_exist(path: Path) -> bool:
    """Known not to exist (a folder leadctl may not look into is not known: opening it then
    says to check the permissions)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _missing(path: Path, settings: Settings, if_missing: IfMissing) -> Store:
    """A named database file that does not exist: an empty one in memory answers a command
    that only reads (with a warning); any other command is refused. Neither creates a file."""
    named_by = settings.db_from or "--db"
    if if_missing == "refuse":
        raise DatabaseUnavailable(
            # TRANSLATORS: {named_by} is --db, LEADCTL_DB or "db in <config file>"
            _(
                "There is no database at {path} (set by {named_by}); check the path. "
                "`leadctl add`, `leadctl import` or `leadctl team add` creates a new one."
            ).format(path=path, named_by=named_by)
        )
    from leadctl.render.common import warn

    warn(
        _(
            "Warning: there is no database at {path} (set by {named_by}); answering as for an "
            "empty one. Check the path; `leadctl add` or `leadctl import` creates it."
        ).format(path=path, named_by=named_by)
    )
    return empty_store(str(path), settings.lock_timeout)


def empty_store(label: str, lock_timeout: float) -> Store:
    """An empty leadctl database in memory, at this program's schema, named `label`."""
    from sqlalchemy import Column, MetaData, String, Table
    from sqlalchemy.pool import StaticPool
    from sqlmodel import SQLModel

    import leadctl.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    # one connection for the engine's life: every connection to ":memory:" is a database of
    # its own
    engine = _sqlite_engine("sqlite://", lock_timeout, poolclass=StaticPool)
    version = Table(
        "alembic_version", MetaData(), Column("version_num", String(32), primary_key=True)
    )
    with translate_errors(label), engine.begin() as conn:
        SQLModel.metadata.create_all(conn)  # what the migrations make (tests/cli/test_database)
        version.create(conn)
        conn.execute(version.insert().values(version_num=HEAD_REVISION))
    return Store(engine, label, "sqlite")


def _refuse_non_sqlite(path: Path, named_by: str | None) -> None:
    """A file that is not SQLite at all is not a leadctl database (a damaged one still starts
    with SQLite's header). An empty file is a new database."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return  # missing, a folder, unreadable: opening it says what is wrong
    if head and head != SQLITE_HEADER:
        if named_by:
            message = _(
                "{path} is not a leadctl database (not a SQLite file at all); check the path "
                "set by {named_by}."
            )
        else:
            message = _(
                "{path} is not a leadctl database (not a SQLite file at all); check leadctl's "
                "default database file."
            )
        raise DatabaseUnavailable(message.format(path=path, named_by=named_by))


def _current_revision(store: Store) -> tuple[str | None, bool]:
    """(revision, has_any_table) — read in its own transaction (PostgreSQL aborts on error)."""
    with translate_errors(store.label), store.engine.connect() as conn:
        if store.dialect == "sqlite":
            names = {
                row[0]
                for row in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
        else:
            names = {
                row[0]
                for row in conn.execute(
                    text(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()"
                    )
                )
            }
        if "alembic_version" not in names:
            return None, bool(names)
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return revision, True


def _use_wal(store: Store) -> None:
    """Switch a leadctl SQLite file to WAL (persistent; a no-op once set).

    Only after the file is known to be ours: opening someone else's database must not change it.
    The pragma cannot run inside a transaction, so it goes on the raw DBAPI connection.
    """
    if store.dialect != "sqlite":
        return
    with translate_errors(store.label):
        raw = store.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
        finally:
            raw.close()


def ensure_schema(store: Store, progress: Progress | None = None) -> None:
    revision, has_tables = _current_revision(store)
    if revision is None and has_tables:
        raise DatabaseUnavailable(
            _(
                "{label} is not a leadctl database; point --db or LEADCTL_DB at a leadctl "
                "database or a new file."
            ).format(label=store.label)
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseUnavailable(newer_schema(store.label, revision))

    _use_wal(store)
    if revision == HEAD_REVISION:
        return
    from leadctl.store.migrate import upgrade

    upgrade(store, progress)


def newer_schema(label: str, revision: str) -> str:
    """The refusal of a database a newer leadctl has migrated (opening it, copying into it)."""
    return _(
        "The database {label} was written by a newer leadctl (schema {revision}); "
        "upgrade leadctl to use it."
    ).format(label=label, revision=revision)
