"""Persistence layer: the only place where SQL lives.

One aiosqlite connection per process (SQLite has a single writer anyway), owned by
:class:`storage.db.Database`. Repository modules expose plain async functions that take the
database as their first argument.
"""

from storage.db import Database

__all__ = ["Database"]
