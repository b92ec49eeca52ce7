"""Database helpers for hot paths."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connections, models, router


@functools.cache
def _insert_fields(model: type[models.Model]) -> tuple:
    """The fields an INSERT of new ``model`` rows writes (as ``bulk_create``:
    no generated columns, no auto-increment key)."""
    return tuple(
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and f.db_returning)
    )


def _insert_sql(model: type[models.Model], objs: list, connection) -> tuple[str, list]:
    """One multi-row INSERT, values prepared as Django's insert compiler does
    (``pre_save`` with add, so ``auto_now`` fields are filled on the instance;
    then ``get_db_prep_save``; field placeholders such as array casts kept).
    One difference: an ``auto_now``/``auto_now_add`` field the caller has set
    keeps its value, so rows built from one moment are stored with it."""
    quote = connection.ops.quote_name
    fields = _insert_fields(model)
    timestamps = {
        f.name for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    params: list = []
    rows: list[str] = []
    for obj in objs:
        placeholders = []
        for field in fields:
            value = getattr(obj, field.attname) if field.name in timestamps else None
            if value is None:
                value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{field.name}: expressions are not supported here.")
            value = field.get_db_prep_save(value, connection=connection)
            get_placeholder = getattr(field, "get_placeholder", None)
            placeholders.append(
                get_placeholder(value, None, connection) if get_placeholder else "%s"
            )
            params.append(value)
        rows.append(f"({', '.join(placeholders)})")
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join(rows)}", params  # noqa: S608


def insert_batches(*batches: Sequence[models.Model], using: str | None = None) -> None:
    """INSERT several lists of new instances in one round trip to the database.

    Each list holds instances of one model, written in the order given, so a
    row may refer to one from an earlier list (give UUID primary keys to rows
    that others refer to: auto-increment keys are not read back). Values are
    prepared as ``bulk_create`` prepares them (``auto_now`` fields filled);
    what is saved is a round trip per list and the ORM's query compilation,
    which on the intake path were most of its time. Triggers (the audit
    history) fire as for any insert. No signals are sent.
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
        if any(type(obj) is not model for obj in objs):
            raise TypeError("Each batch holds instances of one model.")
        sql, values = _insert_sql(model, objs, connection)
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
    returns (instance, index of the next column). The instance is None where
    the primary key is NULL (the missing side of an outer join)."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    values = list(row[start : start + len(fields)])
    if values[fields.index(model._meta.pk)] is None:
        return None, start + len(fields)
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
