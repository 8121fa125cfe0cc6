"""The two portable upsert shapes we need, for SQLite and PostgreSQL alike."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from campaign.extensions import db


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


# One statement per dialect, table and returned column: the values travel as parameters, so the
# statement's cache key is computed once, not again for every signature (it is on the sign path).
_IGNORING_CONFLICT: dict = {}


def insert_ignoring_conflict(table, values: dict, returning):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING; None when a unique constraint said no."""
    dialect = db.session.get_bind().dialect.name
    key = (dialect, table, returning)
    statement = _IGNORING_CONFLICT.get(key)
    if statement is None:
        statement = _insert(table).on_conflict_do_nothing().returning(returning)
        _IGNORING_CONFLICT[key] = statement
    return db.session.execute(statement, values).scalar()


def add_to_counters(
    table,
    key_columns: list[str],
    rows: list[dict],
    counter: str = "confirmed",
    also_set: tuple[str, ...] = (),
) -> None:
    """Insert rows, or add their counter to the existing row with the same key (and copy `also_set`)."""
    if not rows:
        return
    statement = _insert(table).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=key_columns,
        set_={
            counter: getattr(table.c, counter) + getattr(statement.excluded, counter),
            **{column: getattr(statement.excluded, column) for column in also_set},
        },
    )
    db.session.execute(statement)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers go on while one process writes; NORMAL sync is durable enough with WAL."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def unlocked_ids(candidates, postgresql: bool, **lock):
    """The ids `candidates` picks (its ORDER BY and LIMIT), for a claim's `UPDATE ... WHERE id IN (...)`.

    On PostgreSQL they are locked FOR UPDATE SKIP LOCKED, so that two workers claim different rows, in a
    MATERIALIZED CTE: as a plain IN (subquery) PostgreSQL may run the subquery again for each row it
    updates, skip the rows the statement has just locked, and so claim every due row, not LIMIT of them.
    SQLite has one writer at a time: nothing to skip. `lock`: with_for_update's `of`, for a join."""
    if not postgresql:
        return candidates
    picked = candidates.with_for_update(skip_locked=True, **lock).cte("picked").prefix_with("MATERIALIZED")
    return db.select(*picked.c)
