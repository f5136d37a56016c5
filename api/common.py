"""Shared pieces of the endpoints: the statuses each operation declares, pagination, and small converters."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from api.schemas import Error, PageQuery

M = TypeVar("M", bound=Model)

# Every operation declares these (ninja: response={200: X, **READ_ERRORS}); those with a body declare 400 too.
READ_ERRORS: dict[int, type[Error]] = {401: Error, 403: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, type[Error]] = {400: Error, **READ_ERRORS}


def paginate(queryset: QuerySet[M], page: PageQuery) -> tuple[int, list[M]]:
    """The number of matching rows and one page of them: two queries (and the queryset's prefetches)."""
    count = queryset.count()
    items = list(queryset[page.offset : page.offset + page.limit]) if page.offset < count else []
    return count, items


def page_of(count: int, page: PageQuery, items: Sequence[Any]) -> dict[str, Any]:
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": list(items)}


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def staff_name(user: Any) -> str | None:
    if user is None:
        return None
    name: str = user.get_full_name() or user.get_username()
    return name
