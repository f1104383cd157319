from django.contrib.sessions.models import Session
from django.core.cache import cache

from chuangyou.testing import World


def test_a_poll_does_not_write_the_session_but_a_click_does(world: World) -> None:
    client = world.client("alice")
    key = client.session.session_key
    client.get("/")
    cache.clear()
    expiry = Session.objects.get(session_key=key).expire_date

    client.get("/school/yizhong/people/students/", HTTP_X_CHUANGYOU_POLL="1")
    assert Session.objects.get(session_key=key).expire_date == expiry

    client.get("/school/yizhong/people/students/")
    assert Session.objects.get(session_key=key).expire_date > expiry
