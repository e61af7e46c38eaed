"""SQLite's side of the append-only triggers (audit/migrations/0004_append_only_triggers.py).

The DELETE trigger on SQLite asks `audit_flushing()`. It answers 1 only while Django's flush runs in this thread
(SQLite flushes with DELETE FROM, and the test suite's transactional tests flush after each test); otherwise 0,
so every other DELETE of an audit row fails. The trade-off, said plainly: `manage.py flush` can still empty the
table, as TRUNCATE can on PostgreSQL; it wipes every table, so it is not a way to remove one event quietly.
"""

import threading
from contextlib import contextmanager

_state = threading.local()


def flushing() -> int:
    return 1 if getattr(_state, "flushing", False) else 0


@contextmanager
def flush_allowed():
    _state.flushing = True
    try:
        yield
    finally:
        _state.flushing = False


def register_function(sender, connection, **kwargs):
    """connection_created receiver: give each new SQLite connection the function its trigger needs."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_flushing", 0, flushing)


def allow_deletes_during_flush() -> None:
    """Wrap SQLite's execute_sql_flush (once) so that the flush, and only the flush, may empty the table."""
    # Through the backend's base module: importing its operations module first is a circular import.
    from django.db.backends.sqlite3.base import DatabaseWrapper

    DatabaseOperations = DatabaseWrapper.ops_class
    original = DatabaseOperations.execute_sql_flush
    if getattr(original, "_audit_wrapped", False):
        return

    def execute_sql_flush(self, sql_list):
        with flush_allowed():
            return original(self, sql_list)

    execute_sql_flush._audit_wrapped = True
    DatabaseOperations.execute_sql_flush = execute_sql_flush
