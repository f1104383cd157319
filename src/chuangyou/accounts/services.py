"""Signing in, passwords and API tokens."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.accounts.models import ApiToken, User
from chuangyou.audit.services import Change, change_for, record_many
from chuangyou.lib.errors import Invalid, NotAllowed, NotFound, TooManyRequests
from chuangyou.lib.logins import MOBILE_RE, account_key, generate_password
from chuangyou.limits import rates
from chuangyou.limits import rules as limit_rules
from chuangyou.org.models import Bureau, School, SchoolClass
from chuangyou.org.rules import Actor, actor_for, can_manage_people, require
from chuangyou.org.selectors import Places, places_of


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


def _account_changes(action: str, obj: Model, user: User, places: Places | None = None) -> list[Change]:
    """One entry in each chain that should see a change to `user`'s keys: every school whose roster
    or seats name the account, and the bureau chain when it serves a bureau. Never the chain of a
    school the person doesn't belong to (issue 9: the victim's school must see the reset)."""
    places = places or places_of(user)
    school_ids: list[int | None] = [*sorted(places.roster_school_ids)]
    if places.bureau_ids or not school_ids:
        school_ids.append(None)
    return [change_for(action, obj, school_id=school_id) for school_id in school_ids]


def _revoke_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _validated(password: str, user: User, *, field: str, intro: str) -> str:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(intro + "；".join(exc.messages), {field: exc.messages}) from exc
    return password


def _generated_for(user: User) -> str:
    """A generated password the validators accept (one that happens to spell the login is drawn again)."""
    for _attempt in range(20):
        password = generate_password()
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no acceptable password generated in 20 draws")  # pragma: no cover


def _set_new_password(actor: Actor, user: User, password: str, places: Places) -> None:
    """Set an admin-chosen password: the account's tokens are revoked, its sessions end (Django ties
    a session to the password hash), and it must choose its own password before doing anything else."""
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = None
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        _revoke_tokens(user)
        record_many(actor, _account_changes("account.password_reset", user, user, places))


def reset_password(*, actor: Actor, user: User, school: School, new_password: str | None = None) -> str:
    """A school admin sets a new password for one of the school's own people. Returns the password,
    which the admin hands over; a generated one is 10 characters without look-alike letters.

    Only an account on this school's roster (a student, a guardian, a member of staff), and not one
    that also belongs to another school or serves the bureau: that one only the bureau resets
    (`reset_password_by_bureau`), so one school's admin can never take over another's account."""
    require(can_manage_people(actor, school), gettext("只有本校管理员可以重置密码。"))
    places = places_of(user)
    if school.pk not in places.roster_school_ids:
        raise NotFound(gettext("本校没有这个账号。"))
    if not actor.system and places.serves_beyond(school):
        raise NotAllowed(gettext("这个账号还属于其他学校或在教育局任职，须由教育局管理员重置密码。"))
    if actor.user is not None and actor.user.pk == user.pk:
        raise Invalid(gettext("请在“修改密码”页修改自己的密码。"))
    password = (
        _validated(new_password, user, field="password", intro=gettext("密码不符合要求："))
        if new_password
        else _generated_for(user)
    )
    _set_new_password(actor, user, password, places)
    return password


def reset_password_by_bureau(
    *, actor: Actor, bureau: Bureau, user: User, new_password: str | None = None
) -> str:
    """A bureau admin resets an account of its schools' rosters or of the bureau itself: above all
    the ones a school may not reset, because they also belong to another school or serve the bureau.
    Every place the account belongs to must lie within this bureau."""
    require(
        actor.system or bureau.pk in actor.bureau_ids(), gettext("只有本局管理员可以重置这个账号的密码。")
    )
    places = places_of(user)
    bureau_school_ids = set(School.objects.filter(bureau=bureau).values_list("pk", flat=True))
    if not (places.roster_school_ids & bureau_school_ids) and bureau.pk not in places.bureau_ids:
        raise NotFound(gettext("本局及所属学校没有这个账号。"))
    outside = (places.roster_school_ids - bureau_school_ids) or (places.bureau_ids - {bureau.pk})
    if outside and not actor.system:
        raise NotAllowed(gettext("这个账号还属于其他教育局或其所属学校，本局不能重置它的密码。"))
    if actor.user is not None and actor.user.pk == user.pk:
        raise Invalid(gettext("请在“修改密码”页修改自己的密码。"))
    password = (
        _validated(new_password, user, field="password", intro=gettext("密码不符合要求："))
        if new_password
        else _generated_for(user)
    )
    _set_new_password(actor, user, password, places)
    return password


def change_own_password(
    *, user: User, old_password: str, new_password: str, session_key: str | None = None
) -> None:
    """The person sets their own password. Their API tokens are revoked and their other sessions end
    (the caller keeps this one with `update_session_auth_hash`); the change is audited."""
    if not user.check_password(old_password):
        raise Invalid(gettext("原密码不正确。"), {"old_password": [gettext("原密码不正确。")]})
    if new_password == old_password:
        raise Invalid(
            gettext("新密码不能与原密码相同。"), {"new_password": [gettext("新密码不能与原密码相同。")]}
        )
    _validated(new_password, user, field="new_password", intro=gettext("新密码不符合要求："))
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        _revoke_tokens(user)
        record_many(actor_for(user), _account_changes("account.password_change", user, user))


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


def create_api_token(*, user: User, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise Invalid(gettext("请填写令牌名称。"), {"name": [gettext("请填写令牌名称。")]})
    if user.must_change_password:
        raise NotAllowed(gettext("管理员重置了您的密码，请先修改密码。"))
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:60], key_hash=ApiToken.hash_key(key), prefix=key[3:8]
        )
        record_many(actor_for(user), _account_changes("account.token_create", token, user))
    return IssuedToken(token=token, key=key)


def revoke_api_token(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
        updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated or token is None:
            raise NotFound(gettext("没有这个令牌。"))
        record_many(actor_for(user), _account_changes("account.token_revoke", token, user))


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

    def wants(user: User | None) -> bool:
        # An account that also belongs to another school or the bureau is never given a password by
        # this school (issue 9): a parent's phone linked here must not open someone else's account.
        return (
            user is not None
            and user.pk not in seen
            and (renew or not user.has_usable_password())
            and not places_of(user).serves_beyond(school)
        )

    for student in students:
        if wants(student.user):
            assert student.user is not None
            seen.add(student.user.pk)
            wanted.append((student.user, Slip(student.name, "学生", student.student_no, "")))
        if not include_guardians:
            continue
        for guardian in student.guardians.all():
            user = guardian.user
            if not wants(user):
                continue
            assert user is not None
            seen.add(user.pk)
            wanted.append((user, Slip(guardian.name, "家长", guardian.phone, "", f"{student.name}的家长")))
    # Hash first, outside the transaction: a class's worth of argon2 hashes takes long, and on SQLite a
    # write transaction that long made other people's sign-ins fail with "database is locked". The
    # transaction then only stores the hashes; a browser that gave up during the hashing lost nothing.
    prepared = [
        (user, slip, password, make_password(password)) for user, slip, password in _with_passwords(wanted)
    ]
    slips = []
    with transaction.atomic():
        current = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=[u.pk for u, _ in wanted])}
        changes, updated = [], []
        for user, slip, password, hashed in prepared:
            row = current.get(user.pk)
            if row is None or not (renew or not row.has_usable_password()):
                continue  # given a password by someone else meanwhile: theirs stands
            # A slip renewed for an account someone already uses is an admin reset: it must be
            # changed, and the old tokens and sessions end.
            used = row.has_usable_password()
            row.password = hashed
            row.password_changed_at = None
            row.must_change_password = used
            if used:
                _revoke_tokens(row)
            changes.append(change_for("account.password_issued", row, school_id=school.pk))
            slips.append(Slip(slip.name, slip.role, slip.login, password, slip.note))
            updated.append(row)
        User.objects.bulk_update(updated, ["password", "password_changed_at", "must_change_password"])
        record_many(actor, changes)
    return slips


def _with_passwords(wanted: list[tuple[User, Slip]]) -> list[tuple[User, Slip, str]]:
    return [(user, slip, generate_password()) for user, slip in wanted]
