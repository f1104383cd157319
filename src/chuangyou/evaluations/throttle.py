"""Per-address limits on the evaluation's doors that need no login: the code ballot (one-time codes are
short enough to be worth guessing) and the receipt check. Both run on the site's one limiter
(chuangyou.limits); parents behind one carrier NAT share an address, so the defaults are generous
(settings EVALUATION_CODE_REQUESTS_PER_MINUTE, RECEIPT_CHECKS_PER_MINUTE)."""

from __future__ import annotations

from django.utils.translation import gettext

from chuangyou.lib.errors import TooManyRequests
from chuangyou.limits import rules

__all__ = ["TooManyRequests", "check_code_ballot", "check_receipt"]


def check_code_ballot(address: str) -> None:
    """Count a code ballot (page or API, a wrong code too) against the address; refuse past the limit."""
    rules.enforce(
        rules.code_ballots(), address, gettext("来自您所在网络的投票请求过于频繁，请一分钟后再试。")
    )


def check_receipt(address: str) -> None:
    rules.enforce(
        rules.receipt_checks(), address, gettext("来自您所在网络的查验请求过于频繁，请一分钟后再试。")
    )
