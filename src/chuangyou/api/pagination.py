"""One pagination for every list: ninja's page numbers, bounded so that no page number reaches the
database as an offset past what it can count (a page past bigint was a 500, issue 9)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000  # far past any list a school has; the offset stays well inside a bigint
MAX_PAGE_SIZE = 1_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
