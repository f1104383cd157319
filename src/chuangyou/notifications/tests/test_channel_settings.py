"""A school's channels: set up by its admin, secrets encrypted at rest and never shown back, and used
by delivery."""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Invalid, NotAllowed
from chuangyou.notifications import backends, crypto, services
from chuangyou.notifications.actor import SCHOOL_ADMIN
from chuangyou.notifications.backends import FileBackend, Outgoing
from chuangyou.notifications.models import Channel, ChannelSettings, Message, State
from chuangyou.org.models import Role
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World

SMS_CONFIG = {"sdk_app_id": "1400000000", "sign_name": "示例一中", "template_id": "123456"}
SMS_SECRETS = {"access_key_id": "AKID-visible-id", "access_key_secret": "very-secret-key-42"}


def _configure_sms(world: World, name: str = "alice", **kw: Any) -> ChannelSettings:
    args: dict[str, Any] = {
        "actor": actor_for(world.persona(name)),
        "school": world.school,
        "channel": Channel.SMS,
        "enabled": True,
        "provider": "tencent",
        "config": SMS_CONFIG,
        "secrets": SMS_SECRETS,
    }
    args.update(kw)
    return services.configure_channel(**args)


def test_the_admin_role_named_here_is_orgs() -> None:
    assert SCHOOL_ADMIN == Role.SCHOOL_ADMIN


def test_secrets_are_encrypted_at_rest(world: World) -> None:
    row = _configure_sms(world)
    raw = bytes(ChannelSettings.objects.get(pk=row.pk).secret)
    assert b"very-secret-key-42" not in raw
    assert crypto.unseal(raw) == SMS_SECRETS
    assert row.config == SMS_CONFIG
    entry = AuditEntry.objects.filter(action="notifications.channel_configure").get()
    assert "very-secret-key-42" not in json.dumps(entry.after, ensure_ascii=False)
    assert entry.after["secrets_changed"] == ["access_key_id", "access_key_secret"]


def test_a_blank_secret_keeps_the_stored_one(world: World) -> None:
    _configure_sms(world)
    row = _configure_sms(world, secrets={"access_key_id": "AKID-new", "access_key_secret": ""})
    assert crypto.unseal(row.secret) == {
        "access_key_id": "AKID-new",
        "access_key_secret": "very-secret-key-42",
    }


def test_switching_on_needs_every_required_setting(world: World) -> None:
    with pytest.raises(Invalid, match="短信签名"):
        _configure_sms(world, config={**SMS_CONFIG, "sign_name": ""})
    with pytest.raises(Invalid, match="访问密钥"):
        _configure_sms(world, secrets={})
    assert not ChannelSettings.objects.exists()
    _configure_sms(world, enabled=False, secrets={})  # saved switched off, to finish later
    assert ChannelSettings.objects.get().enabled is False


def test_an_unknown_provider_or_setting_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match="服务商"):
        _configure_sms(world, provider="somebody")
    with pytest.raises(Invalid, match="password"):
        _configure_sms(world, config={**SMS_CONFIG, "password": "x"})


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "alice"])
def test_only_the_schools_admin_sets_up_channels(world: World, name: str) -> None:
    """oscar (another school's admin) and ju (the bureau) are refused too."""
    with pytest.raises(NotAllowed):
        _configure_sms(world, name)
    assert not ChannelSettings.objects.exists()
    assert not AuditEntry.objects.filter(action="notifications.channel_configure").exists()


def test_the_settings_page_never_shows_a_secret_back(world: World) -> None:
    client = world.client("alice")
    response = client.post(
        "/school/yizhong/people/notifications/",
        {
            "sms-channel": "sms",
            "sms-enabled": "on",
            "sms-provider": "tencent",
            **{f"sms-{k}": v for k, v in {**SMS_CONFIG, **SMS_SECRETS}.items()},
        },
    )
    assert response.status_code == 302
    assert crypto.unseal(ChannelSettings.objects.get(channel=Channel.SMS).secret) == SMS_SECRETS
    page = client.get("/school/yizhong/people/notifications/").content.decode()
    assert "very-secret-key-42" not in page
    assert "AKID-visible-id" not in page
    assert "示例一中" in page  # settings that may be shown are
    assert page.count("已保存；留空则不修改。") == 2


def test_the_settings_page_shows_a_refusal_on_the_form(world: World) -> None:
    response = world.client("alice").post(
        "/school/yizhong/people/notifications/",
        {"sms-channel": "sms", "sms-enabled": "on", "sms-provider": "tencent"},
    )
    assert response.status_code == 422
    assert "启用前请填写" in response.content.decode()
    assert not ChannelSettings.objects.exists()


@pytest.mark.parametrize("name", ["wang", "tian", "oscar", "ju"])
def test_the_settings_page_is_the_admins(world: World, name: str) -> None:
    assert world.client(name).get("/school/yizhong/people/notifications/").status_code == 403


def test_the_admin_reaches_the_page_from_the_school_menu(world: World) -> None:
    page = world.client("alice").get("/school/yizhong/people/staff/").content.decode()
    assert 'href="/school/yizhong/people/notifications/"' in page


def _queue_sms(world: World) -> Message:
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


class FakeSms:
    calls: list[dict[str, Any]] = []

    def __init__(self, config: Mapping[str, Any], secrets: Mapping[str, str]) -> None:
        self.config, self.secrets = config, secrets

    def send_sms(self, **kw: Any) -> None:
        FakeSms.calls.append({**kw, "secrets": dict(self.secrets)})


@override_settings(NOTIFY_DELIVERY="providers")
def test_delivery_hands_the_provider_its_decrypted_secrets(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure_sms(world)
    monkeypatch.setitem(backends.SMS_PROVIDERS, "tencent", FakeSms)
    FakeSms.calls = []
    message = _queue_sms(world)
    assert services.deliver_due() == 1
    [call] = FakeSms.calls
    assert call["phone"] == "13800000001"
    assert (call["sign_name"], call["template_id"]) == ("示例一中", "123456")
    assert call["params"][0] == "家长会通知"
    assert call["params"][1].endswith("/me/")
    assert call["secrets"] == SMS_SECRETS
    assert call["key"] == message.key


@override_settings(NOTIFY_DELIVERY="providers")
def test_a_provider_without_an_adapter_fails_with_the_reason(world: World) -> None:
    _configure_sms(world, provider="aliyun")  # no Aliyun adapter yet
    message = _queue_sms(world)
    services.deliver_due()
    message.refresh_from_db()
    assert (message.state, message.last_error) == (State.FAILED, "本校尚未接入短信服务商。")


@override_settings(NOTIFY_DELIVERY="providers")
def test_a_changed_key_fails_plainly_instead_of_sending_garbage(world: World) -> None:
    _configure_sms(world)
    message = _queue_sms(world)
    with override_settings(CHANNEL_SECRET_KEY="another-key"):
        services.deliver_due()
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert "CHANNEL_SECRET_KEY" in message.last_error


def test_the_file_backend_writes_messages_for_development(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        FileBackend().send(
            Outgoing(
                key="k/1/sms",
                channel="sms",
                address="13800000001",
                title="标题",
                body="",
                url="http://x/me/",
                secrets={"access_key_secret": "hush"},
            )
        )
    [log] = list((tmp_path / "messages").iterdir())
    line = json.loads(log.read_text(encoding="utf-8"))
    assert (line["address"], line["title"], line["url"]) == ("13800000001", "标题", "http://x/me/")
    assert "hush" not in log.read_text(encoding="utf-8")
