from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangyou.activities import services as activities
from chuangyou.activities.models import Evidence
from chuangyou.audit.models import AuditEntry
from chuangyou.exhibition.models import Takedown, TakedownStatus, Thumbnail
from chuangyou.exhibition.services import handle_takedown
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.reports.facts import facts_for
from chuangyou.reports.tests.scenario import Scenario, build, jpeg, make_activity
from chuangyou.testing import PERSONAS, World

PUBLIC = "/s/yizhong/exhibition/"
OFFICE = "/school/yizhong/exhibition/"
MANAGERS = {"alice", "bella", "wang"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def unapproved(s: Scenario) -> Evidence:
    return Evidence.objects.get(activity=s.reading, exhibition_approved=False)


def file_takedown(client: Client, evidence_id: int, **extra: str) -> int:
    data = {"name": "马家长", "contact": "13800000001", "reason": "孩子的正脸，请撤下。"}
    return client.post(f"{PUBLIC}photos/{evidence_id}/takedown/", data, **extra).status_code


def test_the_public_sees_only_approved_photos_not_taken_down(world: World) -> None:
    s = build(world)
    hidden = unapproved(s)
    visitor = Client()
    page = visitor.get(PUBLIC).content.decode()
    assert f'data-testid="photo-{s.photo.pk}"' in page
    assert f'data-testid="photo-{hidden.pk}"' not in page
    assert 'loading="lazy"' in page
    assert "<svg" in page  # the share QR
    assert 'href="/s/yizhong/commitments/"' in page
    assert visitor.get(f"{PUBLIC}photos/{hidden.pk}/full.jpg").status_code == 404
    assert visitor.get(f"{PUBLIC}photos/{hidden.pk}/thumb.jpg").status_code == 404
    assert visitor.get(f"{PUBLIC}photos/{s.photo.pk}/full.jpg").status_code == 200

    assert file_takedown(visitor, s.photo.pk) == 302
    takedown = Takedown.objects.get()
    assert (takedown.status, takedown.evidence_id) == (TakedownStatus.PENDING, s.photo.pk)
    # Hidden at once, before anyone has looked at the request.
    assert f'data-testid="photo-{s.photo.pk}"' not in visitor.get(PUBLIC).content.decode()
    assert visitor.get(f"{PUBLIC}photos/{s.photo.pk}/full.jpg").status_code == 404
    assert facts_for([s.campaign])[world.school.pk].activities.photos == 0

    handle_takedown(actor=actor_for(world.wang), takedown=takedown, remove=False, reply="系集体活动合影")
    assert f'data-testid="photo-{s.photo.pk}"' in visitor.get(PUBLIC).content.decode()
    assert facts_for([s.campaign])[world.school.pk].activities.photos == 1

    assert file_takedown(visitor, s.photo.pk) == 302
    second = Takedown.objects.get(status=TakedownStatus.PENDING)
    handle_takedown(actor=actor_for(world.wang), takedown=second, remove=True)
    assert f'data-testid="photo-{s.photo.pk}"' not in visitor.get(PUBLIC).content.decode()
    assert facts_for([s.campaign])[world.school.pk].activities.photos == 0
    actions = list(
        AuditEntry.objects.filter(action__startswith="exhibition.takedown")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "exhibition.takedown_request",
        "exhibition.takedown_restore",
        "exhibition.takedown_request",
        "exhibition.takedown_remove",
    ]


def test_a_thumbnail_is_made_once_and_kept(world: World) -> None:
    s = build(world)
    visitor = Client()
    assert not Thumbnail.objects.exists()
    first = visitor.get(f"{PUBLIC}photos/{s.photo.pk}/thumb.jpg")
    body = b"".join(first.streaming_content)  # type: ignore[attr-defined]
    thumb = Thumbnail.objects.get()
    assert (thumb.evidence_id, thumb.width, thumb.height) == (s.photo.pk, 480, 360)
    again = visitor.get(f"{PUBLIC}photos/{s.photo.pk}/thumb.jpg")
    assert b"".join(again.streaming_content) == body  # type: ignore[attr-defined]
    assert list(Thumbnail.objects.values_list("pk", "file")) == [(thumb.pk, thumb.file.name)]
    assert AuditEntry.objects.filter(action="exhibition.thumbnail").count() == 1


def test_approving_in_bulk_makes_the_thumbnails_then(world: World) -> None:
    s = build(world)
    first = unapproved(s)
    extra = activities.add_evidence(actor=SYSTEM, activity=s.reading, upload=jpeg(color="green"))
    ids = [first.pk, extra.pk]
    response = world.client("wang").post(f"{OFFICE}approve/", {"photo": ids, "action": "approve"})
    assert response.status_code == 302
    assert set(Evidence.objects.filter(exhibition_approved=True).values_list("pk", flat=True)) == {
        s.photo.pk,
        *ids,
    }
    assert set(Thumbnail.objects.values_list("evidence_id", flat=True)) == set(ids)
    page = Client().get(PUBLIC).content.decode()
    assert all(f'data-testid="photo-{i}"' in page for i in ids)
    world.client("wang").post(f"{OFFICE}approve/", {"photo": ids, "action": "withdraw"})
    assert list(Evidence.objects.filter(exhibition_approved=True).values_list("pk", flat=True)) == [
        s.photo.pk
    ]


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_groups_that_run_the_campaign_approve_photos(world: World, name: str) -> None:
    s = build(world)
    target = unapproved(s)
    before = AuditEntry.objects.count()
    client = world.client(name)
    listing = client.get(OFFICE).status_code
    posted = client.post(f"{OFFICE}approve/", {"photo": [target.pk], "action": "approve"}).status_code
    target.refresh_from_db()
    if name in MANAGERS:
        assert (listing, posted, target.exhibition_approved) == (200, 302, True)
    else:
        assert (listing, posted, target.exhibition_approved) == (403, 403, False)
        assert AuditEntry.objects.count() == before
        assert not Thumbnail.objects.exists()


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_groups_that_run_the_campaign_handle_takedowns(world: World, name: str) -> None:
    s = build(world)
    assert file_takedown(Client(), s.photo.pk) == 302
    takedown = Takedown.objects.get()
    before = AuditEntry.objects.count()
    client = world.client(name)
    listing = client.get(f"{OFFICE}takedowns/")
    posted = client.post(f"{OFFICE}takedowns/{takedown.pk}/", {"decision": "remove", "reply": "已核实"})
    takedown.refresh_from_db()
    if name in MANAGERS:
        assert (listing.status_code, posted.status_code, takedown.status) == (200, 302, "removed")
        assert "13800000001" in listing.content.decode()  # the contact, for the office only
    else:
        assert (listing.status_code, posted.status_code) in {(403, 403), (403, 404)}
        assert takedown.status == TakedownStatus.PENDING
        assert AuditEntry.objects.count() == before


def test_takedown_requests_are_rate_limited_per_address(world: World) -> None:
    s = build(world)
    photos = [
        activities.add_evidence(actor=SYSTEM, activity=s.reading, upload=jpeg(color=c))
        for c in ("green", "white", "black", "gray", "yellow", "purple")
    ]
    for p in photos:
        activities.set_exhibition_approved(actor=SYSTEM, evidence=p, approved=True)
    visitor = Client()
    codes = [file_takedown(visitor, p.pk, REMOTE_ADDR="10.0.0.7") for p in photos]
    assert codes == [302, 302, 302, 302, 302, 429]
    assert Takedown.objects.count() == 5
    assert file_takedown(visitor, photos[5].pk, REMOTE_ADDR="10.0.0.8") == 302


def test_a_takedown_needs_a_name_a_contact_and_a_reason(world: World) -> None:
    s = build(world)
    response = Client().post(
        f"{PUBLIC}photos/{s.photo.pk}/takedown/", {"name": "", "contact": "", "reason": ""}
    )
    assert response.status_code == 200
    assert not Takedown.objects.exists()


def test_the_gallery_costs_the_same_queries_however_many_photos(world: World) -> None:
    s = build(world)
    visitor = Client()
    visitor.get(PUBLIC)
    with CaptureQueriesContext(connection) as small:
        visitor.get(PUBLIC)
    more = make_activity(world, title="运动会")
    for color in ("green", "white", "black"):
        for activity in (s.reading, more):
            p = activities.add_evidence(actor=SYSTEM, activity=activity, upload=jpeg(color=color))
            activities.set_exhibition_approved(actor=SYSTEM, evidence=p, approved=True)
    with CaptureQueriesContext(connection) as large:
        page = visitor.get(PUBLIC).content.decode()
    assert page.count('data-testid="photo-') == 7
    assert len(small) == len(large)


def test_no_campaign_says_so(world: World) -> None:
    page = Client().get(PUBLIC).content.decode()
    assert 'data-testid="no-campaign"' in page
