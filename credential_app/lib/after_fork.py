"""A forked process never uses its parent's database connections.

Servers such as gunicorn ``--preload`` and Celery's prefork pool load Django in a parent,
then fork workers. A connection the parent opened is one socket (or one SQLite file
handle) shared by both processes: a child that queries on it, or even closes it (Django
closes connections at the end of each request; a garbage-collected connection closes
itself), breaks the parent's conversation with the server or checkpoints and removes an
SQLite WAL the parent still uses ("disk I/O error"). So the child keeps the inherited
connection objects alive, untouched, for its whole life, and opens its own on first use.
"""
from django.db import connections

# Inherited connections, kept referenced so the child never closes (or finalises) them.
_inherited = []


def forget_parent_connections() -> None:
    """In a freshly forked child: set the parent's connections aside, so the next query
    opens a connection of the child's own (``os.register_at_fork(after_in_child=…)``)."""
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection)
        del connections[connection.alias]
