"""Pages anyone may open without signing in: a school's campaign home page and the list of schools.

They show only what a school makes public: the theme, the phases and their main work, the names in its
three groups, and the doors for everyone without an account (notices to object to, code voting, reply
lookup, certificate check). No phone numbers, tasks, budgets or the safety plan.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from chuangyou.campaigns import selectors
from chuangyou.evaluations import school_key
from chuangyou.evaluations import selectors as evaluation_selectors
from chuangyou.nominations.selectors import running_public_notices
from chuangyou.org.rules import Actor
from chuangyou.web import paginate, school_by_code


def index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.schools_with_public_campaign(), per_page=30)
    return render(request, "public/index.html", {"page": page})


def school_home(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    today = timezone.localdate()
    campaign = selectors.public_campaign(school, today=today)
    context = {
        "school": school,
        "campaign": campaign,
        "timeline": selectors.timeline_of(campaign, today=today) if campaign else None,
        "groups": selectors.office_groups(school, today=today) if campaign else [],
        # the door for everyone without an account: what runs now, and where to vote, object and check
        "notices": list(running_public_notices(school, today)),
        "roll_year": campaign.year if campaign else today.year,
        # public results (never of people) and the key their counts are signed with
        "results": evaluation_selectors.results_readable_by(Actor(user=None), school),
        "key_fingerprint": school_key.school_fingerprint(school.pk),
    }
    return render(request, "public/school.html", context)
