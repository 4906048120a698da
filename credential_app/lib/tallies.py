"""Counters kept in tables: add to many rows at once, inserting those missing.

Django's ``bulk_create(update_conflicts=True)`` sets the new values; a counter must add to
them, so this writes the one statement each database offers for it: ``INSERT … ON
DUPLICATE KEY UPDATE`` (MariaDB/MySQL) or ``INSERT … ON CONFLICT … DO UPDATE`` (SQLite,
PostgreSQL). Adding commutes, so concurrent writers need no read-modify-write.
"""
from django.db import connection


def add(table, keys, summed, rows, using=None):
    """Add each row's ``summed`` values to the row of ``table`` with the same ``keys``
    (inserted when missing): one statement, whatever the number of rows. Rows are
    (*key values, *summed values); sort them so concurrent writers lock in one order."""
    if not rows:
        return
    using = using or connection
    # Table and column names are the models' own; every value is a parameter.
    quote = using.ops.quote_name
    columns = ", ".join(quote(c) for c in (*keys, *summed))
    one = "(" + ", ".join(["%s"] * (len(keys) + len(summed))) + ")"
    values = ", ".join([one] * len(rows))
    if using.vendor == "mysql":
        adding = ", ".join(f"{quote(c)} = {quote(c)} + VALUES({quote(c)})" for c in summed)
        sql = (f"INSERT INTO {quote(table)} ({columns}) VALUES {values} "  # noqa: S608
               f"ON DUPLICATE KEY UPDATE {adding}")
    else:  # SQLite and PostgreSQL
        adding = ", ".join(f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}"
                           for c in summed)
        sql = (f"INSERT INTO {quote(table)} ({columns}) VALUES {values} "  # noqa: S608
               f"ON CONFLICT ({', '.join(quote(c) for c in keys)}) DO UPDATE SET {adding}")
    params = []
    for row in rows:
        params.extend(using.ops.adapt_datefield_value(v) if hasattr(v, "isoformat") else v
                      for v in row)
    with using.cursor() as cursor:
        cursor.execute(sql, params)
