"""Errors a service raises. Pages turn them into messages, the API into HTTP status codes."""

from __future__ import annotations

from django.utils.functional import Promise


class ServiceError(Exception):
    """Base class: `message` is shown to the user as it is. It is written in Chinese inside `gettext`
    (or `gettext_lazy` for a module constant) and turned into text here, at raise time, so it is in the
    language of the request that raised it."""

    status_code = 400

    def __init__(self, message: str | Promise) -> None:
        text = str(message)
        super().__init__(text)
        self.message = text


class NotAllowed(ServiceError):
    """The actor's roles do not allow this. Nothing was changed."""

    status_code = 403


class NotFound(ServiceError):
    status_code = 404


class Invalid(ServiceError):
    """Bad input. `errors` maps a field name to its messages."""

    status_code = 422

    def __init__(self, message: str | Promise, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class Conflict(ServiceError):
    """The write lost a race or repeats one already made (a double submission)."""

    status_code = 409


class TooManyRequests(ServiceError):
    """A rate limit refused this request; `retry_after` says in how many seconds to try again
    (the API sends it as the Retry-After header)."""

    status_code = 429

    def __init__(self, message: str | Promise, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
