"""At most 10 failed sign-ins per account and per address within 15 minutes (settings.LOGIN_FAILURE_*)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from chuangyou.accounts.models import LoginFailure, User
from chuangyou.accounts.services import LoginThrottled, sign_in
from chuangyou.lib.errors import Invalid
from chuangyou.testing import PASSWORD, World

THROTTLED = "登录失败次数过多，请 15 分钟后再试。"
WRONG = "账号或密码不正确。"


def attempt(
    password: str, *, login: str = "T001", ip: str = "10.0.0.1", school: str | None = "yizhong"
) -> User:
    return sign_in(login=login, password=password, school_code=school, ip_address=ip)


def fail_times(n: int, **kwargs: str) -> None:
    for _ in range(n):
        with pytest.raises(Invalid) as exc:
            attempt("wrong-password", **kwargs)
        assert exc.value.message == WRONG


def test_settings_are_ten_in_fifteen_minutes() -> None:
    from chuangyou import settings as production

    assert production.LOGIN_FAILURE_LIMIT == 10
    assert production.LOGIN_FAILURE_WINDOW_SECONDS == 900


def test_eleventh_attempt_on_an_account_is_refused_even_with_the_right_password(world: World) -> None:
    fail_times(10)

    with pytest.raises(LoginThrottled) as exc:
        attempt(PASSWORD)

    assert exc.value.message == THROTTLED
    assert exc.value.status_code == 429
    assert LoginFailure.objects.filter(username="yizhong:T001").count() == 11


def test_ten_failures_still_let_the_right_password_in(world: World) -> None:
    fail_times(9)
    assert attempt(PASSWORD) == world.alice


def test_account_limit_holds_across_addresses(world: World) -> None:
    for i in range(10):
        fail_times(1, ip=f"10.0.1.{i}")

    with pytest.raises(LoginThrottled):
        attempt(PASSWORD, ip="10.0.2.1")


def test_address_limit_holds_across_accounts(world: World) -> None:
    for login in ["T002", "T003", "T004", "T005", "T006", "S001", "S002", "X1", "X2", "X3"]:
        fail_times(1, login=login)

    with pytest.raises(LoginThrottled) as exc:
        attempt(PASSWORD)
    assert exc.value.message == THROTTLED
    # The same account from another address is not blocked by this address's count.
    assert attempt(PASSWORD, ip="10.9.9.9") == world.alice


def test_failures_older_than_the_window_do_not_count(world: World) -> None:
    fail_times(10)
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(seconds=901))

    assert attempt(PASSWORD) == world.alice


def test_failures_just_inside_the_window_still_count(world: World) -> None:
    fail_times(10)
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(seconds=880))

    with pytest.raises(LoginThrottled):
        attempt(PASSWORD)


def test_success_clears_the_accounts_count_but_not_the_addresss(world: World) -> None:
    fail_times(4, login="T002")  # another account, from the same address
    fail_times(5)

    assert attempt(PASSWORD) == world.alice

    assert LoginFailure.objects.filter(username="yizhong:T001").count() == 0
    assert LoginFailure.objects.filter(ip_address="10.0.0.1").count() == 4
    fail_times(6)  # 4 + 6 = 10 at this address: still below the limit
    with pytest.raises(LoginThrottled):
        attempt(PASSWORD)


def test_login_page_shows_the_chinese_refusal_and_does_not_sign_in(world: World) -> None:
    client = Client(REMOTE_ADDR="10.0.0.7")
    form = {"school": "yizhong", "login": "T001", "password": "wrong-password"}
    for _ in range(10):
        response = client.post("/accounts/login/", form)
        assert WRONG in response.content.decode()

    response = client.post("/accounts/login/", {**form, "password": PASSWORD})

    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_at_most_ten_password_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    from chuangyou.testing import build_world

    world = build_world()
    checks = 0
    lock = threading.Lock()
    real_check = User.check_password

    def counting_check(self: User, raw_password: str) -> bool:
        nonlocal checks
        with lock:
            checks += 1
        return real_check(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting_check)
    barrier = threading.Barrier(30)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            attempt(f"guess-{i}", ip=f"10.1.0.{i}")
        except LoginThrottled:
            outcomes.append("throttled")
        except Invalid:
            outcomes.append("wrong")
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert set(outcomes) <= {"throttled", "wrong"}, outcomes
    assert len(outcomes) == 30
    assert checks <= 10
    assert outcomes.count("wrong") == checks
    assert LoginFailure.objects.filter(username="yizhong:T001").count() == 30
    with pytest.raises(LoginThrottled):
        attempt(PASSWORD, ip="10.2.0.1")
    assert world.alice.check_password(PASSWORD)
