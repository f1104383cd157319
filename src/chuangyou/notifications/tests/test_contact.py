"""A person leaves their own e-mail and 企业微信 account, and the school's channels reach them there."""

from django.db import transaction

from chuangyou.audit.models import AuditEntry
from chuangyou.notifications import services
from chuangyou.notifications.models import Channel, Contact, Message
from chuangyou.notifications.tests.conftest import switch_on
from chuangyou.testing import World


def test_a_person_sets_their_own_contact_from_the_inbox(world: World) -> None:
    client = world.client("tian")
    inbox = client.get("/inbox/").content.decode()
    assert 'href="/inbox/contact/"' in inbox
    response = client.post("/inbox/contact/", {"email": " tian@example.cn ", "wecom_userid": "TianShi"})
    assert (response.status_code, response["Location"]) == (302, "/inbox/")
    contact = Contact.objects.get()
    assert (contact.user_id, contact.email, contact.wecom_userid) == (
        world.tian.pk,
        "tian@example.cn",
        "TianShi",
    )
    assert AuditEntry.objects.get(action="notifications.contact").after == {
        "email": "tian@example.cn",
        "wecom_userid": "TianShi",
    }
    page = client.get("/inbox/contact/").content.decode()
    assert 'value="tian@example.cn"' in page


def test_a_wrong_address_is_refused_and_nothing_saved(world: World) -> None:
    response = world.client("tian").post("/inbox/contact/", {"email": "not-an-address", "wecom_userid": ""})
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_nobody_sees_anothers_contact(world: World) -> None:
    world.client("su").post("/inbox/contact/", {"email": "su@example.cn", "wecom_userid": ""})
    page = world.client("tian").get("/inbox/contact/").content.decode()
    assert "su@example.cn" not in page


def test_the_schools_channels_reach_the_address_left(world: World) -> None:
    switch_on(world.school, Channel.EMAIL)
    switch_on(world.school, Channel.WECOM)
    world.client("tian").post("/inbox/contact/", {"email": "tian@example.cn", "wecom_userid": "TianShi"})
    with transaction.atomic():
        services.notify(
            school_id=world.school.pk, event="t", key="t:1", recipients=[world.tian.pk], title="t"
        )
    assert set(Message.objects.values_list("channel", "address")) == {
        (Channel.IN_APP, ""),
        (Channel.EMAIL, "tian@example.cn"),
        (Channel.WECOM, "TianShi"),
    }
