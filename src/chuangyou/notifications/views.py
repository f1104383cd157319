"""The inbox and the bell. A person sees their own messages only: every read goes through selectors,
scoped to the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import ServiceError
from chuangyou.notifications import selectors, services
from chuangyou.notifications.actor import Row
from chuangyou.notifications.forms import ContactForm

PER_PAGE = 20


@dataclass(frozen=True)
class _Reader:
    """The signed-in person as this app's Actor (org's Actor, with the seats, is a layer above: these
    pages are about the person's own messages and contact details, which need no seat)."""

    user: Row | None
    label: str = ""
    system: bool = False

    def holds(self, role: str, *, school_id: int | None = None) -> bool:
        return False


def _reader(request: HttpRequest) -> _Reader:
    if not request.user.is_authenticated:
        return _Reader(user=None)
    return _Reader(user=request.user, label=str(request.user))


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


@login_required
def contact(request: HttpRequest) -> HttpResponse:
    """The person's own e-mail and 企业微信 account, for the channels their school has switched on."""
    reader = _reader(request)
    mine = selectors.contact_of(actor=reader)
    form = ContactForm(
        request.POST or None,
        initial={"email": mine.email, "wecom_userid": mine.wecom_userid} if mine else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_contact(
                actor=reader, email=form.cleaned_data["email"], wecom_userid=form.cleaned_data["wecom_userid"]
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("联系方式已保存。"))
            return redirect("notifications:inbox")
    return render(request, "notifications/contact.html", {"form": form}, status=422 if form.is_bound else 200)
