"""Pages with no login: the phone ballot by one-time code, the receipt check, the published result."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangyou.evaluations import selectors, services, throttle, verify_count
from chuangyou.evaluations.forms import CodeForm, ReceiptForm
from chuangyou.evaluations.models import Evaluation, State, Visibility
from chuangyou.evaluations.views import count_file_response, handle_ballot, result_page
from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School
from chuangyou.org.rules import Actor
from chuangyou.web import client_ip, school_by_code


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest, code: str) -> HttpResponse:
    """The code ballot, at one address that never holds the code. GET: the form (the slip's QR adds
    #<code>, which code-from-fragment.js posts). POST `code`: open the ballot. POST `ballot_code` with
    the marks: cast it. Every POST counts against the address's limit, a wrong code too."""
    school = school_by_code(code)
    if request.method == "GET":
        return render(request, "evaluations/enter_code.html", {"school": school, "form": CodeForm()})
    submitted = "ballot_code" in request.POST
    form = CodeForm({"code": request.POST.get("ballot_code" if submitted else "code", "")})
    if not form.is_valid():
        return render(request, "evaluations/enter_code.html", {"school": school, "form": form}, status=422)
    ballot_code = services.normalize_code(form.cleaned_data["code"])
    try:
        throttle.check_code_ballot(client_ip(request))
    except throttle.TooManyRequests as exc:
        return _code_page(request, school, ballot_code, exc.message, status=429)
    try:
        entitlement = services.entitlement_for_code(ballot_code)
    except NotFound:
        return _code_page(request, school, ballot_code, _("投票码无效，请核对后重新输入。"), status=404)
    if entitlement.evaluation.school_id != school.pk:
        return _code_page(request, school, ballot_code, _("投票码无效，请核对后重新输入。"), status=404)
    return handle_ballot(
        request, entitlement.evaluation, entitlement, Actor(user=None), code=ballot_code, submitted=submitted
    )


def _code_page(
    request: HttpRequest, school: School, ballot_code: str, error: str, *, status: int
) -> HttpResponse:
    """The code form again, holding the code as typed and saying why it did not open a ballot."""
    form = CodeForm({"code": ballot_code})
    form.is_valid()
    form.add_error(None, error)
    return render(request, "evaluations/enter_code.html", {"school": school, "form": form}, status=status)


def receipt_check(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = selectors.public_evaluation(school_by_code(code), pk)
    form = ReceiptForm(request.GET or None)
    counted = None
    status = 200
    if form.is_valid():
        try:
            throttle.check_receipt(client_ip(request))
        except throttle.TooManyRequests as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            counted = services.receipt_counted(evaluation, form.cleaned_data["receipt"])
    published = counted is True and evaluation.state == State.PUBLISHED
    return render(
        request,
        "evaluations/receipt.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "form": form,
            "counted": counted,
            # once published: the hash to look for in the ballot file, and the page offering the file
            "receipt_hash": services.receipt_digest(form.cleaned_data["receipt"]) if published else "",
            "file_page": _file_page(evaluation) if published else "",
        },
        status=status,
    )


def _file_page(evaluation: Evaluation) -> str:
    public = evaluation.visibility == Visibility.PUBLIC
    name = "evaluations_public:result" if public else "evaluations:result"
    return reverse(name, args=[evaluation.school.code, evaluation.pk]) + "#count-check"


def public_result(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, files = selectors.public_count_files(school_by_code(code), pk)
    return result_page(request, evaluation, public=True, files=files)


def count_file(request: HttpRequest, code: str, pk: int, kind: str) -> HttpResponse:
    """ballots.json, ballots.csv or result.json of a public result."""
    evaluation, files = selectors.public_count_files(school_by_code(code), pk)
    return count_file_response(evaluation, files, kind)


def verifier(request: HttpRequest, code: str) -> HttpResponse:
    """The stand-alone verifier itself, so a voter without the source code can run it."""
    school_by_code(code)
    response = HttpResponse(
        Path(verify_count.__file__).read_bytes(), content_type="text/x-python; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="verify_count.py"'
    return response
