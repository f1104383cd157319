"""Per-address limit on the public code-ballot page and API: one-time codes are short enough to be
worth guessing, and the page needs no login. Parents behind one carrier NAT share an address, so
the default is generous; a school can change it with the EVALUATION_CODE_REQUESTS_PER_MINUTE setting."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy

from chuangyou.lib.errors import ServiceError

DEFAULT_PER_MINUTE = 60
MESSAGE = gettext_lazy("来自您所在网络的投票请求过于频繁，请一分钟后再试。")


class TooManyRequests(ServiceError):
    status_code = 429


def check(address: str) -> None:
    """Count this request against the address's current minute; refuse past the limit."""
    limit = int(getattr(settings, "EVALUATION_CODE_REQUESTS_PER_MINUTE", DEFAULT_PER_MINUTE))
    key = f"evaluations-code-ballot:{address}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=120):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            used = 1
    if used > limit:
        raise TooManyRequests(MESSAGE)
