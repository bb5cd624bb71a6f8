"""Query-string values checked against the model field they filter, before any query.

A value the field cannot hold (letters for an id, ``2026-13-45`` for a date, a 21-digit
number that overflows the database's integer, a NUL byte PostgreSQL refuses) would raise
in the ORM or in the database, i.e. a 500. :func:`clean_filter_params` drops such
filters (the admin lists and exports, ``feedback.common.admin``); :func:`valid_lookup`
answers for one value (public views reading an id from the query string).
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.http import QueryDict

# The lookups a list filter or an export link may use; anything else is not ours.
FILTER_LOOKUPS = {"exact", "iexact", "gte", "gt", "lte", "lt", "isnull", "in", "contains", "icontains"}
# Parameters of the list itself (ordering, page, search, export), not filters.
LIST_PARAMS = {"o", "ot", "p", "q", "e", "export", "format"}
MAX_SEARCH = 200


def _field_for(model, key: str):
    """``community__id__exact`` → (the ``id`` field of Community, ``"exact"``); None if
    the path is not a field of ``model`` followed by at most one known lookup."""
    parts = key.split("__")
    field, opts = None, model._meta
    while parts:
        if opts is None:
            break
        try:
            field = opts.get_field(parts[0])
        except FieldDoesNotExist:
            break
        parts.pop(0)
        opts = field.related_model._meta if field.is_relation and field.related_model else None
    if field is None or len(parts) > 1:
        return None
    lookup = parts[0] if parts else "exact"
    if lookup not in FILTER_LOOKUPS:
        return None
    if field.is_relation:
        if not hasattr(field, "target_field"):
            return None  # a reverse relation: not a list filter of ours
        field = field.target_field
    return field, lookup


def _valid_value(field, lookup: str, value: str) -> bool:
    if "\x00" in value:
        return False  # PostgreSQL refuses NUL in any string
    if lookup == "isnull":
        return value in {"true", "false", "True", "False", "1", "0"}
    values = value.split(",") if lookup == "in" else [value]
    for item in values:
        try:
            python = field.to_python(item)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        if isinstance(field, models.IntegerField | models.AutoField) and python is not None:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and python < low) or (high is not None and python > high):
                return False
    return True


def clean_filter_params(model, params: QueryDict, *, simple_params=()) -> tuple[QueryDict, list[str]]:
    """The query string without the filters ``model`` cannot apply, and the labels of
    those dropped. ``simple_params`` are parameters of our own SimpleListFilters, which
    ignore values they do not know; the list's own parameters pass through (a search
    loses NUL bytes and is cut to ``MAX_SEARCH`` characters)."""
    cleaned = QueryDict(mutable=True)
    dropped: list[str] = []
    for key, values in params.lists():
        if key in LIST_PARAMS or key in simple_params:
            if key == "q":
                values = [value.replace("\x00", "")[:MAX_SEARCH] for value in values]
            cleaned.setlist(key, values)
            continue
        found = _field_for(model, key)
        if found is None:
            dropped.append(key)
            continue
        field, lookup = found
        good = [value for value in values if _valid_value(field, lookup, value)]
        if len(good) != len(values):
            dropped.append(_label(model, key))
        if good:
            cleaned.setlist(key, good)
    return cleaned, dropped


def _label(model, key: str) -> str:
    try:
        return str(model._meta.get_field(key.split("__")[0]).verbose_name)
    except FieldDoesNotExist:
        return key


def ignored_filters_message(dropped: list[str]) -> str:
    return "以下筛选条件的值无效，已忽略：" + "、".join(dict.fromkeys(dropped))


def valid_lookup(model, key: str, value: str) -> bool:
    """Whether ``model.objects.filter(**{key: value})`` can run (``key`` e.g. ``"pk"``)."""
    if key == "pk":
        key = model._meta.pk.name
    found = _field_for(model, key)
    return found is not None and _valid_value(*found, value)
