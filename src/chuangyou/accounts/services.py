"""Signing in, passwords and API tokens."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.accounts.models import ApiToken, User
from chuangyou.audit.services import change_for, record, record_many
from chuangyou.lib.errors import Invalid, NotFound, TooManyRequests
from chuangyou.lib.logins import MOBILE_RE, account_key, generate_password
from chuangyou.limits import rates
from chuangyou.limits import rules as limit_rules
from chuangyou.org.models import RoleMembership, School, SchoolClass
from chuangyou.org.rules import Actor, can_manage_people, require


class LoginThrottled(TooManyRequests):
    pass


def username_for(*, login: str, school_code: str | None) -> str:
    """What the login form's fields mean: a 学号/工号 within the chosen school, or a mobile number
    anywhere. A school's own account wins, so an 11-digit 学号 that looks like a phone still works."""
    login = login.strip()
    if school_code:
        key = account_key(school_code=school_code.strip(), login=login)
        if not MOBILE_RE.match(login) or User.objects.filter(username=key).exists():
            return key
    if MOBILE_RE.match(login):
        user = User.objects.filter(phone=login).only("username").first()
        return user.username if user else f"m:{login}"
    return account_key(school_code=(school_code or "").strip(), login=login)


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return gettext("登录失败次数过多，请 %(seconds)s 秒后再试。") % {"seconds": seconds}
    return gettext("登录失败次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": math.ceil(seconds / 60)}


def sign_in(*, login: str, password: str, school_code: str | None, ip_address: str) -> User:
    """Check a password, slowing guessers down without locking the owner out (settings LOGIN_*).

    Every attempt is counted before the password is checked (atomically, see chuangyou.limits), so
    parallel guesses can't slip past a limit; a good password gives its hits back, so only failures
    count. In order, each refusing before the next is counted:
    1. one account from one address: a few a minute, more an hour, then "try again in N seconds";
       the owner signing in from anywhere else is not affected;
    2. one address over all accounts: high, since a whole school sits behind one address;
    3. one account over all addresses: a ceiling high enough that a stranger cannot reach it from
       one address (step 1 stops him first), so he cannot deny a teacher her login.
    """
    username = username_for(login=login, school_code=school_code)
    pair = f"{username}\x00{ip_address}"
    pair_rates = (limit_rules.login_account_address_minute(), limit_rules.login_account_address_hour())
    counted = [(rate, pair) for rate in pair_rates] + [
        (limit_rules.login_address(), ip_address),
        (limit_rules.login_account(), username),
    ]
    for rate, ident in counted:
        verdict = rates.hit(rate, ident)
        if not verdict.allowed:
            raise LoginThrottled(_wait_message(verdict.retry_after), retry_after=verdict.retry_after)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        # Hash anyway, so that a quick refusal doesn't tell a guesser which accounts exist.
        User().set_password(password)
        raise Invalid(gettext("账号或密码不正确。"))
    if not user.check_password(password):
        raise Invalid(gettext("账号或密码不正确。"))
    # Only failures count: the owner's own slips at this address are forgotten, and this success gives
    # back its hit on the address's and the account's ceilings (a guesser's failures stay counted).
    for rate in pair_rates:
        rates.clear(rate, pair)
    rates.take_back(limit_rules.login_address(), ip_address)
    rates.take_back(limit_rules.login_account(), username)
    return user


def _schools_of(user: User) -> set[int]:
    return set(
        RoleMembership.objects.filter(user=user, school__isnull=False).values_list("school_id", flat=True)
    )


def reset_password(*, actor: Actor, user: User, school: School, new_password: str | None = None) -> str:
    """A school admin sets a new password for one of the school's accounts. Returns the password,
    which the admin hands over; a generated one is 10 characters without look-alike letters."""
    require(can_manage_people(actor, school), gettext("只有本校管理员可以重置密码。"))
    if school.pk not in _schools_of(user):
        raise NotFound(gettext("本校没有这个账号。"))
    password = new_password or generate_password()
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(
            gettext("密码不符合要求：") + "；".join(exc.messages), {"password": exc.messages}
        ) from exc
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = None  # the person must change it at next sign-in
        user.save(update_fields=["password", "password_changed_at"])
        record(actor, change_for("account.password_reset", user, school_id=school.pk))
    return password


def change_own_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise Invalid(gettext("原密码不正确。"), {"old_password": [gettext("原密码不正确。")]})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise Invalid(
            gettext("新密码不符合要求：") + "；".join(exc.messages), {"new_password": exc.messages}
        ) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


def create_api_token(*, user: User, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise Invalid(gettext("请填写令牌名称。"), {"name": [gettext("请填写令牌名称。")]})
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name[:60], key_hash=ApiToken.hash_key(key), prefix=key[3:8]
    )
    return IssuedToken(token=token, key=key)


def revoke_api_token(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound(gettext("没有这个令牌。"))


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@dataclass(frozen=True)
class Slip:
    """One printed 账号密码条: who it is for, what they type, and the first password."""

    name: str
    role: str
    login: str
    password: str
    note: str = ""


def issue_class_passwords(
    *, actor: Actor, school_class: SchoolClass, include_guardians: bool = True, renew: bool = False
) -> list[Slip]:
    """First passwords for a class's students (and their parents), for printing as slips.

    Only accounts that have never had a password are given one, unless `renew` is set; an account
    someone already uses is never silently reset. Each issue is audited, without the password.
    """
    school = school_class.school
    require(can_manage_people(actor, school), gettext("只有本校管理员可以生成账号密码条。"))
    students = list(
        school_class.students.select_related("user")
        .prefetch_related("guardians__user")
        .order_by("student_no")
    )
    wanted: list[tuple[User, Slip]] = []
    seen: set[int] = set()
    for student in students:
        if student.user is not None and (renew or not student.user.has_usable_password()):
            wanted.append((student.user, Slip(student.name, "学生", student.student_no, "")))
        if not include_guardians:
            continue
        for guardian in student.guardians.all():
            user = guardian.user
            if user is None or user.pk in seen or not (renew or not user.has_usable_password()):
                continue
            seen.add(user.pk)
            wanted.append((user, Slip(guardian.name, "家长", guardian.phone, "", f"{student.name}的家长")))
    slips = []
    with transaction.atomic():
        changes = []
        for user, slip in wanted:
            password = generate_password()
            user.set_password(password)
            user.password_changed_at = None
            changes.append(change_for("account.password_issued", user, school_id=school.pk))
            slips.append(Slip(slip.name, slip.role, slip.login, password, slip.note))
        User.objects.bulk_update([user for user, _ in wanted], ["password", "password_changed_at"])
        record_many(actor, changes)
    return slips
