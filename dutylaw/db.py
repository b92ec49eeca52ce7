"""Database helpers for hot paths."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connections, models, router


@functools.cache
def _insert_plan(model: type[models.Model], vendor: str) -> tuple[str, tuple]:
    """The head of an INSERT of new ``model`` rows, and per column (field,
    whether it is an auto_now timestamp, its placeholder method or None). The
    columns are ``bulk_create``'s: no generated columns, no auto-increment key."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and f.db_returning)
    ]
    quote = connections["default"].ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    plan = tuple(
        (
            f,
            getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False),
            getattr(f, "get_placeholder", None),
        )
        for f in fields
    )
    return head, plan


def _insert_sql(model: type[models.Model], objs: list, connection) -> tuple[str, list]:
    """One multi-row INSERT, values prepared as Django's insert compiler does
    (``pre_save`` with add, so ``auto_now`` fields are filled on the instance;
    then ``get_db_prep_save``; field placeholders such as array casts kept).
    One difference: an ``auto_now``/``auto_now_add`` field the caller has set
    keeps its value, so rows built from one moment are stored with it."""
    head, plan = _insert_plan(model, connection.vendor)
    params: list = []
    rows: list[str] = []
    for obj in objs:
        placeholders = []
        for field, timestamp, get_placeholder in plan:
            value = getattr(obj, field.attname) if timestamp else None
            if value is None:
                value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{field.name}: expressions are not supported here.")
            value = field.get_db_prep_save(value, connection=connection)
            placeholders.append(
                get_placeholder(value, None, connection) if get_placeholder else "%s"
            )
            params.append(value)
        rows.append(f"({', '.join(placeholders)})")
    return head + ", ".join(rows), params


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


@functools.cache
def select_list(model: type[models.Model], alias: str) -> str:
    """The model's concrete columns qualified by ``alias``, in field order, for
    a hand-written SELECT whose rows ``from_row`` turns back into instances.
    Used on hot paths, where compiling the ORM query costs more than running it."""
    quote = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


@functools.cache
def _readers(model: type[models.Model], using: str) -> tuple:
    """(attnames, pk index, [(index, column, converters)]) for ``from_row``."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    converting = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if converters:
            converting.append((i, col, converters))
    return [f.attname for f in fields], fields.index(model._meta.pk), converting


def from_row(model: type[models.Model], row: Sequence, start: int = 0, using: str = "default"):
    """An instance of ``model`` from ``row[start:]`` of a ``select_list`` SELECT;
    returns (instance, index of the next column). The instance is None where
    the primary key is NULL (the missing side of an outer join)."""
    attnames, pk_index, converting = _readers(model, using)
    end = start + len(attnames)
    values = list(row[start:end])
    if values[pk_index] is None:
        return None, end
    connection = connections[using]
    for i, col, converters in converting:
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    return model.from_db(using, attnames, values), end


def select_models(model: type[models.Model], where: str, params: Sequence, *, tail: str = ""):
    """Instances of ``model`` matching a hand-written WHERE clause (alias ``m``)."""
    table = connections["default"].ops.quote_name(model._meta.db_table)
    sql = f"SELECT {select_list(model, 'm')} FROM {table} m WHERE {where} {tail}"  # noqa: S608
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        return [from_row(model, row)[0] for row in cursor.fetchall()]
