from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.accounts import services
from chuangyou.accounts.forms import BureauResetForm, LoginForm, PasswordChangeForm, TokenForm
from chuangyou.accounts.models import User
from chuangyou.lib.errors import NotFound, ServiceError
from chuangyou.lib.http import client_ip
from chuangyou.org.models import SchoolClass
from chuangyou.org.rules import actor_of, require
from chuangyou.org.selectors import bureau_by_code, school_by_code


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, initial={"school": request.COOKIES.get("cy_school", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
                school_code=form.cleaned_data["school"],
                ip_address=client_ip(request),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code if isinstance(exc, services.LoginThrottled) else 200
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            next_url = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = "/"
            response = redirect(next_url)
            if form.cleaned_data["school"]:
                response.set_cookie(
                    "cy_school", form.cleaned_data["school"], max_age=365 * 86400, samesite="Lax"
                )
            return response
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("accounts:login")


@login_required
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            # Django ties each session to the password hash: the other sessions end, this one stays.
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("密码已修改。其他设备上的登录和原有的 API 令牌均已失效。"))
            return redirect("home")
    must_change = request.user.must_change_password  # type: ignore[union-attr]
    return render(request, "accounts/password.html", {"form": form, "must_change": must_change})


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.create_api_token(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm()
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")  # type: ignore[union-attr]
    return render(request, "accounts/tokens.html", {"form": form, "issued": issued, "tokens": tokens})


@login_required
@require_POST
def revoke_token_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_api_token(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("令牌已作废。"))
    return redirect("accounts:tokens")


# --- a school admin's work on its people's accounts, on the school's people pages ------------------


@login_required
@require_POST
def reset_password(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    user = get_object_or_404(User, pk=user_id)
    password = services.reset_password(actor=actor, user=user, school=school)
    return render(
        request, "org/password_reset_done.html", {"school": school, "account": user, "password": password}
    )


@login_required
@require_POST
def class_slips(request: HttpRequest, code: str, class_id: int) -> HttpResponse:
    """Print first passwords for a class: one cut-out slip per student and parent."""
    school, actor = school_by_code(code), actor_of(request)
    school_class = get_object_or_404(
        SchoolClass.objects.select_related("grade", "school"), pk=class_id, school=school
    )
    slips = services.issue_class_passwords(
        actor=actor,
        school_class=school_class,
        include_guardians=request.POST.get("guardians") == "1",
        renew=request.POST.get("renew") == "1",
    )
    return render(request, "org/slips.html", {"school": school, "school_class": school_class, "slips": slips})


# --- the bureau's reset, for accounts a school may not reset (issue 9) ------------------------------


@login_required
def bureau_reset_password(request: HttpRequest, code: str) -> HttpResponse:
    """A bureau admin resets an account that also belongs to another school or serves the bureau:
    found by its unit and login, as on the sign-in page."""
    bureau, actor = bureau_by_code(code), actor_of(request)
    require(actor.system or bureau.pk in actor.bureau_ids(), _("只有本局管理员可以重置这个账号的密码。"))
    form = BureauResetForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        username = services.username_for(
            login=form.cleaned_data["login"], school_code=form.cleaned_data["unit"]
        )
        user = User.objects.filter(username=username).first()
        try:
            if user is None:
                raise NotFound(_("本局及所属学校没有这个账号。"))
            password = services.reset_password_by_bureau(actor=actor, bureau=bureau, user=user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "org/password_reset_done.html",
                {
                    "account": user,
                    "password": password,
                    "back_url": reverse("bureau_home", args=[bureau.code]),
                },
            )
    return render(request, "accounts/bureau_reset.html", {"bureau": bureau, "form": form})
