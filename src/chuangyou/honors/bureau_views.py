"""The bureau admin's 表彰 pages: issue the honors of an ended bureau notice, and the list of them.

They sit beside the bureau's nomination pages (same addresses, /bureau/<code>/nominations/...), but live
here because issuing is this app's work: nominations knows nothing of honors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.honors import selectors, services
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.nominations import selectors as nomination_selectors
from chuangyou.org.selectors import bureau_by_code
from chuangyou.web import actor_of, paginate


@login_required
@require_POST
def issue(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    """表彰: issue the final honors of an ended bureau notice, numbered across the bureau."""
    bureau, actor = bureau_by_code(code), actor_of(request)
    notice = get_object_or_404(nomination_selectors.bureau_notices(actor, bureau), pk=notice_id)
    try:
        made = services.issue_notice(actor=actor, notice=notice)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect("bureau_nominations:notices", code=code)
    messages.success(request, _("已颁发 %(n)d 项荣誉。") % {"n": len(made)})
    return redirect("bureau_honors:list", code=code)


@login_required
def honors(request: HttpRequest, code: str) -> HttpResponse:
    bureau, actor = bureau_by_code(code), actor_of(request)
    rows = selectors.bureau_honors(actor, bureau)
    return render(request, "honors/bureau_honors.html", {"bureau": bureau, "page": paginate(request, rows)})


__all__ = ["honors", "issue"]
