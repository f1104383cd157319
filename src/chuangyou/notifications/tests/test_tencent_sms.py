"""Tencent Cloud SMS, through its own SDK, against a local server that checks each request the way
Tencent documents SendSms (API 2021-01-11): POST to /, the X-TC-* headers, a TC3-HMAC-SHA256 signature
made with the school's SecretKey, the JSON body. The server can be told to answer an error or to hang."""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from chuangyou.notifications import services, tencent_sms
from chuangyou.notifications.models import Channel, Message, State
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

SECRET_ID = "AKIDtest0000000000000000000000000000"
SECRET_KEY = "test-secret-key-0000000000000000"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


class FakeTencent(BaseHTTPRequestHandler):
    """Checks a SendSms request as Tencent's API documents it and answers like it."""

    requests: list[dict[str, Any]] = []
    problems: list[str] = []
    answer: str = "ok"  # "ok", "auth", "limit" or "hang"

    def log_message(self, *args: Any) -> None:
        pass

    def _check(self, body: bytes) -> None:
        h = {k.lower(): v for k, v in self.headers.items()}
        wanted = {"x-tc-action": "SendSms", "x-tc-version": "2021-01-11", "x-tc-region": "ap-guangzhou"}
        for name, value in wanted.items():
            if h.get(name) != value:
                self.problems.append(f"{name} is {h.get(name)!r}")
        auth = h.get("authorization", "")
        prefix = f"TC3-HMAC-SHA256 Credential={SECRET_ID}/"
        if self.command != "POST" or self.path != "/" or not auth.startswith(prefix):
            self.problems.append(f"{self.command} {self.path} {auth[:40]}")
            return
        scope, signed, signature = (part.split("=", 1)[1] for part in auth.split(" ", 1)[1].split(", "))
        date, service, _end = scope.split("/")[1:]
        names = signed.split(";")
        canonical_headers = "".join(f"{n}:{h[n].strip()}\n" for n in names)
        canonical = "\n".join(["POST", "/", "", canonical_headers, signed, hashlib.sha256(body).hexdigest()])
        timestamp = h.get("x-tc-timestamp", "0")
        if dt.datetime.fromtimestamp(int(timestamp), dt.UTC).strftime("%Y-%m-%d") != date:
            self.problems.append("the credential's date is not the timestamp's")
        to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                timestamp,
                f"{date}/{service}/tc3_request",
                hashlib.sha256(canonical.encode()).hexdigest(),
            ]
        )
        key = _hmac(_hmac(_hmac(f"TC3{SECRET_KEY}".encode(), date), service), "tc3_request")
        if service != "sms" or not hmac.compare_digest(
            hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature
        ):
            self.problems.append("bad signature")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._check(body)
        payload = json.loads(body)
        self.requests.append(payload)
        if self.answer == "hang":
            time.sleep(tencent_sms.TIMEOUT_SECONDS + 2)
            return
        if self.answer == "auth":
            response: dict[str, Any] = {
                "Error": {"Code": "AuthFailure.SecretIdNotFound", "Message": "The SecretId is not found"}
            }
        else:
            code = "LimitExceeded.PhoneNumberDailyLimit" if self.answer == "limit" else "Ok"
            response = {
                "SendStatusSet": [
                    {
                        "SerialNo": "2640:1",
                        "PhoneNumber": payload["PhoneNumberSet"][0],
                        "Fee": 1,
                        "SessionContext": payload.get("SessionContext", ""),
                        "Code": code,
                        "Message": "send success" if code == "Ok" else "the daily limit is reached",
                        "IsoCode": "CN",
                    }
                ]
            }
        response["RequestId"] = "a0aabda6-cf91-4f3e-a81f-9198114a2279"
        data = json.dumps({"Response": response}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def tencent() -> Iterator[type[FakeTencent]]:
    FakeTencent.requests, FakeTencent.problems, FakeTencent.answer = [], [], "ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTencent)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(
        NOTIFY_DELIVERY="providers", TENCENT_SMS_ENDPOINT=f"http://127.0.0.1:{server.server_port}"
    ):
        yield FakeTencent
    server.shutdown()
    server.server_close()


def _school_uses_tencent(world: World) -> None:
    services.configure_channel(
        actor=actor_for(world.alice),
        school=world.school,
        channel=Channel.SMS,
        enabled=True,
        provider="tencent",
        config={"sdk_app_id": "1400006666", "sign_name": "示例一中", "template_id": "449739"},
        secrets={"access_key_id": SECRET_ID, "access_key_secret": SECRET_KEY},
    )


def _queue(world: World) -> Message:
    with transaction.atomic():
        services.notify(
            school_id=world.school.pk,
            event="test",
            key="test:1",
            recipients=[world.ma.pk],
            title="家长会通知",
            link="/me/",
            channels=[Channel.SMS],
        )
    return Message.objects.get()


def test_an_sms_is_sent_as_tencent_documents_it(world: World, tencent: type[FakeTencent]) -> None:
    _school_uses_tencent(world)
    message = _queue(world)
    assert services.deliver_due() == 1
    assert tencent.problems == []
    [request] = tencent.requests
    assert request["PhoneNumberSet"] == ["+8613800000001"]
    assert (request["SmsSdkAppId"], request["SignName"], request["TemplateId"]) == (
        "1400006666",
        "示例一中",
        "449739",
    )
    assert request["TemplateParamSet"][0] == "家长会通知"
    assert request["TemplateParamSet"][1].endswith("/me/")
    assert request["SessionContext"] == message.key
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.SENT, 1)


def test_a_wrong_key_fails_at_once_with_tencents_reason(world: World, tencent: type[FakeTencent]) -> None:
    _school_uses_tencent(world)
    tencent.answer = "auth"
    message = _queue(world)
    services.deliver_due()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.FAILED, 1)
    assert message.last_error == "AuthFailure.SecretIdNotFound: The SecretId is not found"


def test_a_daily_limit_is_retried(world: World, tencent: type[FakeTencent]) -> None:
    _school_uses_tencent(world)
    tencent.answer = "limit"
    message = _queue(world)
    services.deliver_due()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.QUEUED, 1)
    assert message.last_error.startswith("LimitExceeded.PhoneNumberDailyLimit")


def test_a_hanging_provider_times_out_and_is_retried(
    world: World, tencent: type[FakeTencent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tencent_sms, "TIMEOUT_SECONDS", 1)
    _school_uses_tencent(world)
    tencent.answer = "hang"
    message = _queue(world)
    started = time.monotonic()
    services.deliver_due()
    assert time.monotonic() - started < 5
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.QUEUED, 1)
    assert message.last_error
