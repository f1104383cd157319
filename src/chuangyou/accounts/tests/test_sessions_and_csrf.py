"""Sessions end after two idle hours; CSRF guards the login form and session-authenticated API writes."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from chuangyou.org.models import Role, RoleMembership
from chuangyou.testing import PASSWORD, World

LOGIN = {"school": "yizhong", "login": "T001", "password": PASSWORD}


def signed_in_client() -> Client:
    client = Client()
    assert client.post("/accounts/login/", LOGIN).status_code == 302
    return client


def get_at(client: Client, when: dt.datetime, path: str = "/") -> int | str:
    """The status code, or where a redirect goes."""
    # The session cache entry expires with the session; clearing it makes the database row decide.
    cache.clear()
    with mock.patch("django.utils.timezone.now", return_value=when):
        response = client.get(path)
    return response["Location"] if response.status_code == 302 else response.status_code


def test_session_settings_in_force() -> None:
    from chuangyou import settings as production

    assert production.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert production.SESSION_SAVE_EVERY_REQUEST is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (7200, True)


def test_idle_session_expires_and_redirects_to_login(world: World) -> None:
    client = signed_in_client()
    now = timezone.now()

    assert get_at(client, now + dt.timedelta(minutes=119)) == 200
    assert get_at(client, now + dt.timedelta(minutes=119 + 121)) == "/accounts/login/?next=/"


def test_each_request_extends_the_session(world: World) -> None:
    client = signed_in_client()
    now = timezone.now()

    for hours in (1.5, 3, 4.5, 6):  # never two idle hours in a row
        assert get_at(client, now + dt.timedelta(hours=hours)) == 200


def test_login_form_requires_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)

    refused = client.post("/accounts/login/", LOGIN)
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session

    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    accepted = client.post("/accounts/login/", {**LOGIN, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_api_post_with_session_requires_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    client.get("/accounts/login/")  # sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    url = f"/api/v1/schools/{world.school.code}/memberships"
    payload = {"user_id": world.tian.pk, "role": "working_group"}

    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 403
    assert not RoleMembership.objects.filter(user=world.tian, role=Role.WORKING_GROUP).exists()

    accepted = client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
    assert RoleMembership.objects.filter(user=world.tian, role=Role.WORKING_GROUP).count() == 1


def test_logout_is_post_only_and_ends_the_session(world: World) -> None:
    client = signed_in_client()

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
