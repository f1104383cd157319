"""The bell and the inbox: each person sees their own messages, and nobody else's."""

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from chuangyou.notifications.models import Message
from chuangyou.notifications.services import notify
from chuangyou.testing import World


def _tell(world: World, *names: str, key: str = "test:1", link: str = "/me/", school: Any = None) -> None:
    with transaction.atomic():
        notify(
            school_id=(school or world.school).pk,
            event="test.event",
            key=key,
            recipients=[world.persona(n).pk for n in names],
            title="请查看“%(what)s”",
            params={"what": "测试"},
            link=link,
        )


def _message(world: World, name: str) -> Message:
    return Message.objects.get(recipient=world.persona(name))


def test_the_bell_counts_the_unread(world: World) -> None:
    _tell(world, "tian", "su")
    _tell(world, "tian", key="test:2")
    badge = world.client("tian").get("/inbox/count/").content.decode()
    assert 'data-testid="bell-count"' in badge
    assert ">2</span>" in badge
    assert ">1</span>" in world.client("su").get("/inbox/count/").content.decode()
    assert world.client("hu").get("/inbox/count/").content.decode().strip() == "<span></span>"


def test_every_page_loads_the_bell(world: World) -> None:
    page = world.client("tian").get("/").content.decode()
    assert 'href="/inbox/"' in page
    assert 'hx-get="/inbox/count/"' in page


def test_the_bell_and_inbox_want_a_sign_in(world: World) -> None:
    for url in ("/inbox/", "/inbox/count/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_inbox_shows_only_ones_own_messages(world: World) -> None:
    _tell(world, "tian")
    _tell(world, "su", key="test:2", link="/secret/")
    page = world.client("tian").get("/inbox/").content.decode()
    assert page.count('data-testid="message"') == 1
    assert "请查看“测试”" in page
    assert "/secret/" not in page


def test_an_empty_inbox_says_so(world: World) -> None:
    page = world.client("tian").get("/inbox/").content.decode()
    assert 'data-testid="no-messages"' in page
    assert 'data-testid="read-all"' not in page


@pytest.mark.parametrize("whose", ["su", "oscar_school"])
def test_another_persons_message_is_not_found(world: World, whose: str) -> None:
    if whose == "su":
        _tell(world, "su")
        target = _message(world, "su")
    else:  # a message of the other school, to its admin
        _tell(world, "oscar", school=world.other_school)
        target = _message(world, "oscar")
    response = world.client("tian").post(f"/inbox/{target.pk}/read/", {"go": "1"})
    assert response.status_code == 404
    assert Message.objects.get(pk=target.pk).read_at is None


def test_opening_a_message_marks_it_read_and_goes_to_the_thing_to_do(world: World) -> None:
    _tell(world, "tian", link="/me/")
    message = _message(world, "tian")
    response = world.client("tian").post(f"/inbox/{message.pk}/read/", {"go": "1"})
    assert (response.status_code, response["Location"]) == (302, "/me/")
    assert Message.objects.get(pk=message.pk).read_at is not None
    assert world.client("tian").get("/inbox/count/").content.decode().strip() == "<span></span>"


def test_a_link_off_the_site_is_not_followed(world: World) -> None:
    _tell(world, "tian", link="https://evil.example/")
    message = _message(world, "tian")
    response = world.client("tian").post(f"/inbox/{message.pk}/read/", {"go": "1"})
    assert response["Location"] == "/inbox/"


def test_mark_one_read_stays_in_the_inbox(world: World) -> None:
    _tell(world, "tian")
    message = _message(world, "tian")
    response = world.client("tian").post(f"/inbox/{message.pk}/read/")
    assert response["Location"] == "/inbox/"
    assert Message.objects.get(pk=message.pk).read_at is not None


def test_mark_all_read_touches_only_ones_own(world: World) -> None:
    _tell(world, "tian", "su")
    _tell(world, "tian", key="test:2")
    response = world.client("tian").post("/inbox/read-all/")
    assert response.status_code == 302
    unread = set(Message.objects.filter(read_at=None).values_list("recipient_id", flat=True))
    assert unread == {world.su.pk}


def test_reading_is_a_post(world: World) -> None:
    _tell(world, "tian")
    message = _message(world, "tian")
    assert world.client("tian").get(f"/inbox/{message.pk}/read/").status_code == 405
    assert world.client("tian").get("/inbox/read-all/").status_code == 405
    assert Message.objects.get(pk=message.pk).read_at is None


def test_the_inbox_pages_by_twenty(world: World, django_assert_max_num_queries: Any) -> None:
    for i in range(25):
        _tell(world, "tian", key=f"test:{i}")
    client = world.client("tian")
    client.get("/inbox/")  # warm the session and the actor
    with django_assert_max_num_queries(8):
        first = client.get("/inbox/").content.decode()
    assert first.count('data-testid="message"') == 20
    assert "1 / 2" in first
    second = client.get("/inbox/?page=2").content.decode()
    assert second.count('data-testid="message"') == 5
