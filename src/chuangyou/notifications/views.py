"""The inbox and the bell. A person sees their own messages only: every read goes through selectors,
scoped to the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from chuangyou.notifications import selectors, services
from chuangyou.notifications.actor import Row

PER_PAGE = 20


@dataclass(frozen=True)
class _Reader:
    """The signed-in person as this app's Actor (org's Actor is a layer above)."""

    user: Row | None


def _reader(request: HttpRequest) -> _Reader:
    return _Reader(user=request.user if request.user.is_authenticated else None)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    reader = _reader(request)
    page = Paginator(selectors.inbox(actor=reader).select_related("school"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    unread = selectors.unread_count(actor=reader)
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The navigation's unread count, loaded after the page (htmx), as the 工作台 badge is."""
    return render(
        request, "notifications/_bell.html", {"unread": selectors.unread_count(actor=_reader(request))}
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a message read; with `go`, continue to what it asks to be done."""
    reader = _reader(request)
    message = services.mark_read(actor=reader, message=selectors.get_message(actor=reader, pk=pk))
    link = message.link
    if (
        request.POST.get("go")
        and link
        and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()})
    ):
        return HttpResponseRedirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=_reader(request))
    return redirect("notifications:inbox")
