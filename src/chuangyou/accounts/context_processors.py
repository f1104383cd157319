from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chuangyou.org.rules import actor_for


def actor(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for menus. Lazy: a page that never asks runs no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"actor": None}
    return {"actor": SimpleLazyObject(lambda: actor_for(user))}
