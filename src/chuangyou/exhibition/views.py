"""The working group's pages: approving photos for the exhibition in bulk, and handling takedown requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.exhibition import selectors, services
from chuangyou.exhibition.forms import HandleForm
from chuangyou.exhibition.models import TakedownStatus
from chuangyou.lib.errors import Invalid
from chuangyou.web import actor_of, paginate, school_by_code

PHOTOS_PER_PAGE = 48


@login_required
def photos(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    show = request.GET.get("show", "")
    rows = selectors.office_photos(actor_of(request), school, show)
    pending = selectors.takedowns_for(actor_of(request), school).filter(status=TakedownStatus.PENDING)
    context = {
        "school": school,
        "page": paginate(request, rows, per_page=PHOTOS_PER_PAGE),
        "show": show,
        "pending_takedowns": pending.count(),
    }
    return render(request, "exhibition/photos.html", context)


@login_required
@require_POST
def approve(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    ids = [int(v) for v in request.POST.getlist("photo") if v.isdigit()]
    approved = request.POST.get("action") == "approve"
    try:
        changed = services.set_approved(
            actor=actor_of(request), school=school, evidence_ids=ids, approved=approved
        )
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        text = _("已将 %(n)d 张照片加入成果展示。") if approved else _("已将 %(n)d 张照片撤出成果展示。")
        messages.success(request, text % {"n": changed})
    show = request.POST.get("show", "")
    target = reverse("exhibition:photos", args=[school.code])
    return redirect(f"{target}?show={show}" if show in ("approved", "pending") else target)


@login_required
def thumb(request: HttpRequest, code: str, evidence_id: int) -> FileResponse:
    actor = actor_of(request)
    evidence = selectors.office_photo(actor, school_by_code(code), evidence_id)
    made = getattr(evidence, "thumbnail", None) or services.make_thumbnail(actor=actor, evidence=evidence)
    return FileResponse(made.file.open("rb"), content_type="image/jpeg")


@login_required
def takedowns(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    rows = selectors.takedowns_for(actor_of(request), school)
    context = {"school": school, "page": paginate(request, rows), "form": HandleForm()}
    return render(request, "exhibition/takedowns.html", context)


@login_required
@require_POST
def handle(request: HttpRequest, code: str, takedown_id: int) -> HttpResponse:
    school = school_by_code(code)
    actor = actor_of(request)
    takedown = get_object_or_404(selectors.takedowns_for(actor, school), pk=takedown_id)
    form = HandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理决定。"))
        return redirect("exhibition:takedowns", school.code)
    remove = form.cleaned_data["decision"] == "remove"
    services.handle_takedown(actor=actor, takedown=takedown, remove=remove, reply=form.cleaned_data["reply"])
    messages.success(request, _("已撤下照片。") if remove else _("已恢复展示。"))
    return redirect("exhibition:takedowns", school.code)
