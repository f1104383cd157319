"""The calendar feed phones subscribe to: published activities only, no login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from chuangyou.activities import ics, selectors
from chuangyou.web import school_by_code


def feed(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    host = request.get_host().split(":")[0] or "chuangyou"
    events = [
        ics.Event(
            uid=f"activity-{a.pk}@{host}",
            starts=a.starts_at,
            ends=a.ends_at,
            summary=a.title,
            location=a.venue,
            description=f"{a.get_kind_display()}\n{a.description}".strip(),
            stamp=a.created_at,
        )
        for a in selectors.published_for_feed(school)
    ]
    body = ics.calendar(f"{school.name} · 活动日历", events, now=timezone.now())
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{school.code}-activities.ics"'
    return response
