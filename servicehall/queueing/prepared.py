"""Hot-path querysets compiled to SQL once per process, then re-bound with fresh values.

Django compiles a queryset to SQL every time it runs; on the counter actions that compiling is most
of the Python time (the call-order query alone takes 1–2 ms to compile, more than the database
takes to answer it). `Prepared` compiles the queryset once with sentinel values, remembers where
they sit among the parameters, and from then on swaps in the real values and sends the very same
SQL. The statement stays the ORM's own, so the call order is still defined once
(`selectors.next_ticket_queryset`). If the sentinels cannot all be located (a future Django that
folds a value into the SQL text), it quietly runs the queryset the ordinary way.
"""
import datetime as dt
from collections.abc import Callable

from django.db import connection

_MISSING = object()


class Prepared:
    def __init__(self, build: Callable, *, ints=(), strs=(), datetimes=()):
        """`build(**values)` returns a `values_list` queryset; `ints`/`strs`/`datetimes` name its values."""
        self.build = build
        self.kinds = {**{n: "int" for n in ints}, **{n: "str" for n in strs}, **{n: "datetime" for n in datetimes}}
        self._cache: dict = {}

    def _sentinels(self) -> dict:
        out = {}
        for i, (name, kind) in enumerate(self.kinds.items()):
            if kind == "int":
                out[name] = -987_654_001 - i
            elif kind == "str":
                out[name] = f"\x1fsentinel-{i}\x1f"
            else:
                out[name] = dt.datetime(1901, 2, 3, 4, 5, 6, 700_001 + i, tzinfo=dt.UTC)
        return out

    def _adapt(self, value):
        return connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value

    def _compile(self):
        sentinels = self._sentinels()
        sql, params = self.build(**sentinels).query.get_compiler(connection=connection).as_sql()
        adapted = {name: self._adapt(v) for name, v in sentinels.items()}
        slots = [(i, name) for i, p in enumerate(params) for name, a in adapted.items() if type(p) is type(a) and p == a]
        if {name for _, name in slots} != set(self.kinds):
            return None
        return sql, list(params), slots

    def _run(self, values: dict, *, one: bool):
        key = (connection.vendor, connection.features.has_select_for_update_skip_locked)
        entry = self._cache.get(key, _MISSING)
        if entry is _MISSING:
            entry = self._cache[key] = self._compile()
        if entry is None:
            rows = [tuple(r) for r in self.build(**values)]
            return (rows[0] if rows else None) if one else rows
        sql, params, slots = entry
        params = list(params)
        for i, name in slots:
            params[i] = self._adapt(values[name])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if one:
                row = cursor.fetchone()
                return tuple(row) if row is not None else None
            return [tuple(r) for r in cursor.fetchall()]

    def first(self, **values) -> tuple | None:
        """The first row (a tuple in the queryset's `values_list` order) or None; slice the queryset [:1]."""
        return self._run(values, one=True)

    def all(self, **values) -> list[tuple]:
        return self._run(values, one=False)


_CONVERTERS: dict = {}


def _converters(model) -> tuple[list[str], list]:
    """Per model and database: the concrete fields' names, and each column's read converters (found once)."""
    key = (model, connection.vendor)
    entry = _CONVERTERS.get(key)
    if entry is None:
        fields, table = model._meta.concrete_fields, model._meta.db_table
        cols = [f.get_col(table) for f in fields]
        entry = _CONVERTERS[key] = (
            [f.attname for f in fields],
            [(col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)) for col in cols],
        )
    return entry


def from_row(model, row, *, offset=0):
    """A model instance from its concrete columns, in `_meta.concrete_fields` order, starting at `offset`,
    with the same conversions Django applies when it reads rows (e.g. SQLite dates and JSON)."""
    names, converters = _converters(model)
    values = []
    for (col, fns), raw in zip(converters, row[offset:offset + len(names)], strict=True):
        for converter in fns:
            raw = converter(raw, col, connection)
        values.append(raw)
    return model.from_db(connection.alias, names, values)


def column_names(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]
