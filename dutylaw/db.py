"""Database helpers for hot paths."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.sql import InsertQuery


def insert_batches(*batches: Sequence[models.Model], using: str | None = None) -> None:
    """INSERT several lists of new instances in one round trip to the database.

    Each list holds instances of one model, written in the order given, so a
    row may refer to one from an earlier list (give UUID primary keys to rows
    that others refer to: auto-increment keys are not read back). The SQL is
    Django's own ``bulk_create`` SQL (``auto_now`` fields filled, values
    prepared by their fields); what is saved is one network round trip per
    list, which on the intake path is most of the database time. Triggers
    (the audit history) fire as for any insert. No signals are sent.
    """
    batches = [list(b) for b in batches if b]
    if not batches:
        return
    db = using or router.db_for_write(type(batches[0][0]))
    connection = connections[db]
    statements: list[str] = []
    params: list = []
    for objs in batches:
        model = type(objs[0])
        opts = model._meta
        if any(type(obj) is not model for obj in objs):
            raise TypeError("Each batch holds instances of one model.")
        fields = [
            f
            for f in opts.concrete_fields
            if not f.generated and not (f.primary_key and f.db_returning)
        ]
        query = InsertQuery(model)
        query.insert_values(fields, objs, raw=False)
        for sql, values in query.get_compiler(using=db).as_sql():
            statements.append(sql)
            params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statements), params)
    for objs in batches:
        for obj in objs:
            obj._state.adding = False
            obj._state.db = db


def select_list(model: type[models.Model], alias: str) -> str:
    """The model's concrete columns qualified by ``alias``, in field order, for
    a hand-written SELECT whose rows ``from_row`` turns back into instances.
    Used on hot paths, where compiling the ORM query costs more than running it."""
    quote = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def from_row(model: type[models.Model], row: Sequence, start: int = 0, using: str = "default"):
    """An instance of ``model`` from ``row[start:]`` of a ``select_list`` SELECT;
    returns (instance, index of the next column)."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    values = list(row[start : start + len(fields)])
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            values[i] = convert(values[i], col, connection)
    return model.from_db(using, [f.attname for f in fields], values), start + len(fields)


def select_models(model: type[models.Model], where: str, params: Sequence, *, tail: str = ""):
    """Instances of ``model`` matching a hand-written WHERE clause (alias ``m``)."""
    table = connections["default"].ops.quote_name(model._meta.db_table)
    sql = f"SELECT {select_list(model, 'm')} FROM {table} m WHERE {where} {tail}"  # noqa: S608
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        return [from_row(model, row)[0] for row in cursor.fetchall()]
