"""Sign-in slows a guesser down without handing him a weapon against the owner (issue 9).

Only failures count. One account from one address: 5 a minute, 20 an hour, then "try again in N
seconds/minutes". One address over all accounts: 500 an hour (a whole school behind one NAT). One account
over all addresses: 200 an hour, out of reach from one address."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings

from chuangyou.accounts.models import User
from chuangyou.accounts.services import LoginThrottled, sign_in
from chuangyou.lib.errors import Invalid
from chuangyou.testing import PASSWORD, World

WRONG = "账号或密码不正确。"
AT = dt.datetime(2026, 11, 21, 9, 0, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


def attempt(
    password: str, *, login: str = "T001", ip: str = "10.0.0.1", school: str | None = "yizhong"
) -> User:
    return sign_in(login=login, password=password, school_code=school, ip_address=ip)


def fail_times(n: int, **kwargs: str) -> None:
    for _ in range(n):
        with pytest.raises(Invalid) as exc:
            attempt("wrong-password", **kwargs)
        assert exc.value.message == WRONG


def refused(password: str = PASSWORD, **kwargs: str) -> LoginThrottled:
    with pytest.raises(LoginThrottled) as exc:
        attempt(password, **kwargs)
    assert exc.value.status_code == 429
    return exc.value


def test_the_defaults() -> None:
    from chuangyou import settings as production

    assert production.LOGIN_FAILURES_PER_MINUTE == 5
    assert production.LOGIN_FAILURES_PER_HOUR == 20
    assert production.LOGIN_ACCOUNT_FAILURES_PER_HOUR == 200
    assert production.LOGIN_ADDRESS_FAILURES_PER_HOUR == 500


def test_the_sixth_failure_in_a_minute_waits_for_the_minutes_end(world: World) -> None:
    with time_machine.travel(AT, tick=False) as clock:
        fail_times(5)
        throttled = refused()  # even the right password waits: the guesser must not learn it
        assert throttled.message == "登录失败次数过多，请 45 秒后再试。"
        assert throttled.retry_after == 45
        clock.shift(45)  # 09:01:00
        assert attempt(PASSWORD) == world.alice


def test_the_delay_grows_to_the_hour_after_twenty_failures(world: World) -> None:
    with time_machine.travel(AT, tick=False) as clock:
        for _minute in range(4):
            fail_times(5)
            clock.shift(60)
        # 09:04:15, 20 failures this hour
        throttled = refused()
        assert throttled.message == "登录失败次数过多，请 56 分钟后再试。"
        assert throttled.retry_after == 56 * 60 - 15


def test_a_stranger_cannot_lock_the_owner_out_from_his_own_address(world: World) -> None:
    with time_machine.travel(AT, tick=False) as clock:
        for _minute in range(4):
            fail_times(5, ip="203.0.113.9")
            clock.shift(60)
        refused(ip="203.0.113.9")  # twenty: he waits for the hour's end
        # The owner, at school or on her phone, signs in as ever.
        assert attempt(PASSWORD, ip="10.0.0.1") == world.alice
        assert attempt(PASSWORD, ip="172.16.5.5") == world.alice


def test_the_accounts_ceiling_over_all_addresses_holds(world: World) -> None:
    with override_settings(LOGIN_ACCOUNT_FAILURES_PER_HOUR=12), time_machine.travel(AT, tick=False):
        for i in range(3):
            fail_times(4, ip=f"198.51.100.{i}")
        throttled = refused(ip="10.9.9.9")
        assert throttled.message == "登录失败次数过多，请 60 分钟后再试。"
        # Another account is not touched.
        assert attempt(PASSWORD, login="T002", ip="10.9.9.9") == world.bella


def test_a_whole_school_behind_one_address_is_not_locked_out(world: World) -> None:
    """Forty classmates mistype once each from the school's one address: the limit counts failures over
    many accounts and is high, so the teacher still signs in there."""
    with time_machine.travel(AT, tick=False):
        for i in range(40):
            fail_times(1, login=f"S{i:03d}", ip="10.0.0.1")
        assert attempt(PASSWORD, ip="10.0.0.1") == world.alice


def test_the_address_limit_counts_only_failures_over_all_accounts(world: World) -> None:
    with override_settings(LOGIN_ADDRESS_FAILURES_PER_HOUR=3), time_machine.travel(AT, tick=False):
        for _ in range(10):  # successes give their hit back
            assert attempt(PASSWORD, login="T002") == world.bella
        for login in ["X1", "X2", "X3"]:
            fail_times(1, login=login)
        throttled = refused(login="T003")
        assert throttled.message == "登录失败次数过多，请 60 分钟后再试。"
        assert attempt(PASSWORD, ip="10.9.9.9") == world.alice  # another address has its own count


def test_success_clears_the_owners_slips_at_this_address(world: World) -> None:
    with time_machine.travel(AT, tick=False):
        fail_times(4)
        assert attempt(PASSWORD) == world.alice
        fail_times(5)  # five more before the slowdown, not one
        refused()


def test_the_login_page_shows_the_wait_and_does_not_sign_in(world: World) -> None:
    client = Client(REMOTE_ADDR="10.0.0.7")
    form = {"school": "yizhong", "login": "T001", "password": "wrong-password"}
    with time_machine.travel(AT, tick=False):
        for _ in range(5):
            response = client.post("/accounts/login/", form)
            assert WRONG in response.content.decode()
        response = client.post("/accounts/login/", {**form, "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，请 45 秒后再试。" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_150_parallel_guesses_get_exactly_five_password_checks(monkeypatch: pytest.MonkeyPatch) -> None:
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
    barrier = threading.Barrier(150)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            attempt(f"guess-{i}", ip="10.1.0.1")
        except LoginThrottled:
            outcomes.append("throttled")
        except Invalid:
            outcomes.append("wrong")
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    # Start well inside a minute, so that all 150 fall in one window.
    with time_machine.travel(AT, tick=True):
        threads = [threading.Thread(target=guess, args=(i,)) for i in range(150)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wrong, throttled = outcomes.count("wrong"), outcomes.count("throttled")
        print(f"\nlogin: 150 parallel guesses, {wrong} password checks, {throttled} refused 429")
        assert sorted(set(outcomes)) == ["throttled", "wrong"], outcomes
        assert outcomes.count("wrong") == 5
        assert checks == 5
        refused(ip="10.1.0.1")
        assert attempt(PASSWORD, ip="10.2.0.1") == world.alice
