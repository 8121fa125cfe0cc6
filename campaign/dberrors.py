"""Database errors without the data in them.

hide_parameters keeps SQLAlchemy from quoting the values it sent, but PostgreSQL itself names them
(`DETAIL: Key (petition_id, email_normalised)=(1, someone@example.nl) already exists.`). Whatever
we log, or RQ stores for a failed job, gets this description instead.
"""

from sqlalchemy.exc import DBAPIError, SQLAlchemyError


class DatabaseError(RuntimeError):
    """A database failure, described without the values involved."""


def describe_database_error(error: SQLAlchemyError) -> str:
    kind = type(error).__name__
    original = getattr(error, "orig", None)
    if original is not None:
        kind += f" ({type(original).__module__}.{type(original).__name__})"
        state = getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
        if state:
            kind += f" [{state}]"
    statement = error.statement.split()[:6] if isinstance(error, DBAPIError) and error.statement else []
    return f"{kind}: {' '.join(statement)} ..." if statement else kind
