"""Reads of the exhibition: what the public may see, and the working group's lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_lazy

from chuangyou.activities.models import Activity, Evidence
from chuangyou.campaigns import selectors as campaign_selectors
from chuangyou.campaigns.models import Campaign
from chuangyou.evaluations.models import Evaluation, State, Visibility
from chuangyou.exhibition.models import Takedown, TakedownStatus
from chuangyou.lib.errors import NotFound
from chuangyou.lib.site import site_url
from chuangyou.nominations.models import Notice
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_manage_campaign, require

MANAGE_MESSAGE = gettext_lazy("只有工作小组、领导小组和学校管理员可以审核展示照片。")


def shown_q(prefix: str = "") -> Q:
    """Evidence the public sees: an image a working-group member approved, with no takedown request
    pending or granted (a request hides the photo at once, before anyone has looked at it)."""
    hidden = Takedown.objects.filter(
        evidence_id=OuterRef(f"{prefix}pk"), status__in=[TakedownStatus.PENDING, TakedownStatus.REMOVED]
    )
    return Q(**{f"{prefix}is_image": True, f"{prefix}exhibition_approved": True}) & ~Q(Exists(hidden))


def shown_photos(school: School) -> QuerySet[Evidence]:
    return Evidence.objects.filter(shown_q(), school=school)


def shown_photo(school: School, evidence_id: int) -> Evidence:
    found = shown_photos(school).select_related("thumbnail", "activity").filter(pk=evidence_id).first()
    if found is None:
        raise NotFound(gettext("这张照片不在展示中。"))
    return found


def public_campaign(school: School, year: int | None, today: dt.date) -> Campaign | None:
    """The plan `year` names, if public, else the one the school's public home page shows."""
    if year is not None:
        return Campaign.objects.filter(school=school, year=year, is_public=True).first()
    return campaign_selectors.public_campaign(school, today=today)


def gallery(campaign: Campaign) -> QuerySet[Activity]:
    """The campaign's activities that have photos on show, latest first, each with its photos."""
    photos = Evidence.objects.filter(shown_q()).select_related("thumbnail").order_by("uploaded_at", "pk")
    has_photo = Evidence.objects.filter(shown_q(), activity_id=OuterRef("pk"))
    return (
        Activity.objects.filter(campaign=campaign)
        .filter(Exists(has_photo))
        .prefetch_related(Prefetch("evidence", queryset=photos, to_attr="shown"))
        .order_by("-starts_at", "-pk")
    )


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    note: str = ""


def _url(name: str, **kwargs: object) -> str:
    """The page of another app, or "" while that app has no such page."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def links(school: School, campaign: Campaign, today: dt.date) -> dict[str, list[Link]]:
    """The exhibition's other halls: the honor roll, the commitments board, notices past and present,
    published evaluation results. A hall whose app has no public page yet is left out."""
    code = school.code
    out: dict[str, list[Link]] = {"main": [], "notices": [], "results": []}
    roll = _url("honors_public:roll", code=code, year=campaign.year)
    if roll:
        out["main"].append(Link(gettext("%(year)s年度光荣榜") % {"year": campaign.year}, roll))
    board = _url("commitments_public:board", code=code)
    if board:
        out["main"].append(Link(gettext("公开承诺栏"), board))
    for notice in Notice.objects.filter(campaign=campaign).order_by("-starts_on", "-pk")[:50]:
        url = _url("nominations_public:notice", code=code, notice_id=notice.pk)
        state = notice.state_on(today)
        note = {"running": gettext("公示中"), "upcoming": gettext("即将公示")}.get(state, gettext("已结束"))
        if url:
            out["notices"].append(Link(notice.title, url, f"{notice.starts_on:%Y-%m-%d} · {note}"))
    span = campaign.span() or (dt.date(campaign.year, 1, 1), dt.date(campaign.year, 12, 31))
    published = Evaluation.objects.filter(
        school=school, state=State.PUBLISHED, visibility=Visibility.PUBLIC, opens_at__date__range=span
    ).order_by("-published_on", "-pk")
    for evaluation in published[:50]:
        url = _url("evaluations_public:result", code=code, pk=evaluation.pk)
        if url:
            out["results"].append(Link(evaluation.title, url, f"{evaluation.published_on or ''}"))
    return out


def share_qr(path: str) -> str:
    """An inline SVG QR code of the page's full address, for sharing from a phone or a poster."""
    return str(segno.make(site_url() + path, error="m").svg_inline(scale=3, border=2))


# --- the working group's pages --------------------------------------------------------------------


def office_photos(actor: Actor, school: School, show: str = "") -> QuerySet[Evidence]:
    require(can_manage_campaign(actor, school), MANAGE_MESSAGE)
    rows = (
        Evidence.objects.filter(school=school, is_image=True)
        .select_related("activity", "thumbnail")
        .annotate(
            taken_down=Exists(
                Takedown.objects.filter(
                    evidence_id=OuterRef("pk"),
                    status__in=[TakedownStatus.PENDING, TakedownStatus.REMOVED],
                )
            )
        )
        .order_by("-uploaded_at", "-pk")
    )
    if show == "approved":
        return rows.filter(exhibition_approved=True)
    if show == "pending":
        return rows.filter(exhibition_approved=False)
    return rows


def takedowns_for(actor: Actor, school: School) -> QuerySet[Takedown]:
    require(can_manage_campaign(actor, school), MANAGE_MESSAGE)
    return Takedown.objects.filter(school=school).select_related("evidence__activity", "handled_by")


def office_photo(actor: Actor, school: School, evidence_id: int) -> Evidence:
    found = office_photos(actor, school).filter(pk=evidence_id).first()
    if found is None:
        raise NotFound(gettext("没有这张照片。"))
    return found
