"""公开承诺栏: every published commitment of the school's current campaign and how it stands. No login.

Only published commitments appear; drafts and returned ones never do. Evidence is shown as a count,
never as files (they may show pupils' faces or names).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from chuangyou.commitments import selectors
from chuangyou.commitments.forms import BoardFilterForm
from chuangyou.commitments.models import Item, Status
from chuangyou.web import paginate, school_by_code

BOARD_PAGE_SIZE = 30


def board(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    today = timezone.localdate()
    campaign = selectors.current_campaign(school, today=today)
    form = BoardFilterForm(request.GET or None)
    query = owner = ""
    if form.is_valid():
        query, owner = form.cleaned_data["q"].strip(), form.cleaned_data["owner"]
    page = None
    if campaign is not None:
        page = paginate(
            request, selectors.board_commitments(campaign, query=query, owner=owner), per_page=BOARD_PAGE_SIZE
        )
    context = {
        "school": school,
        "campaign": campaign,
        "form": form,
        "page": page,
        "entries": selectors.board_entries(page.object_list) if page else [],
        "today": today,
    }
    return render(request, "commitments/board.html", context)


def item_history(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    """Every published version of an item: the board's "已修改 N 次" opens this."""
    school = school_by_code(code)
    item = get_object_or_404(
        Item.objects.select_related("commitment__owner_staff", "commitment__owner_branch"),
        pk=item_id,
        school=school,
        commitment__status=Status.PUBLISHED,
    )
    context = {
        "school": school,
        "commitment": item.commitment,
        "item": item,
        "versions": selectors.versions_of(item),
    }
    return render(request, "commitments/history.html", context | {"public": True})
