"""Every rate limit of the site, in one list, each read from its setting when it is used
(docs/configuration.md, "频率限制"). Who is counted is the caller's choice: an address, an account,
or both."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise

from chuangyou.lib.errors import TooManyRequests
from chuangyou.limits.rates import Rate, hit

MINUTE = 60
HOUR = 60 * 60


# Sign-in: failures only (a good password gives its hits back). See accounts.services.sign_in.
def login_account_address_minute() -> Rate:
    return Rate("login-aa-m", settings.LOGIN_FAILURES_PER_MINUTE, MINUTE)


def login_account_address_hour() -> Rate:
    return Rate("login-aa-h", settings.LOGIN_FAILURES_PER_HOUR, HOUR)


def login_account() -> Rate:
    return Rate("login-acct", settings.LOGIN_ACCOUNT_FAILURES_PER_HOUR, HOUR)


def login_address() -> Rate:
    return Rate("login-addr", settings.LOGIN_ADDRESS_FAILURES_PER_HOUR, HOUR)


# Public doors, per address: every request counts, wrong guesses too.
def code_ballots() -> Rate:
    return Rate("code-ballot", settings.EVALUATION_CODE_REQUESTS_PER_MINUTE, MINUTE)


def receipt_checks() -> Rate:
    return Rate("receipt", settings.RECEIPT_CHECKS_PER_MINUTE, MINUTE)


def objections() -> Rate:
    return Rate("objection", settings.OBJECTIONS_PER_HOUR, HOUR)


def objection_lookups() -> Rate:
    return Rate("objection-lookup", settings.OBJECTION_LOOKUPS_PER_HOUR, HOUR)


def certificate_lookups() -> Rate:
    return Rate("certificate-lookup", settings.CERTIFICATE_LOOKUPS_PER_HOUR, HOUR)


def takedowns() -> Rate:
    return Rate("takedown", settings.TAKEDOWNS_PER_HOUR, HOUR)


def enforce(rate: Rate, ident: str, message: str | Promise) -> None:
    """Count a hit; past the limit raise TooManyRequests with `message` and the seconds to wait."""
    verdict = hit(rate, ident)
    if not verdict.allowed:
        raise TooManyRequests(message, retry_after=verdict.retry_after)
