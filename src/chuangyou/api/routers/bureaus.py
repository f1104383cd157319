"""Bureau-scoped operations, at /api/v1/bureaus/{code}/…: a bureau's view across its schools."""

from ninja import Router

router = Router(tags=["教育局"])
