"""A password validator that knows the person: their name, their login (学号, 工号 or phone), and
the 学号/工号 on the roster. Django's UserAttributeSimilarityValidator compares whole strings with a
similarity ratio, which lets "肖同学2026!" or "S001-abcdefg" through; this one refuses any password
that contains them (issue 9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from chuangyou.org.models import Staff, Student

if TYPE_CHECKING:
    from chuangyou.accounts.models import User

# A Latin login shorter than this ("ju") would refuse too many good passwords; a Chinese name of
# two characters is as telling as a longer one.
MIN_LATIN = 3


def personal_words(user: User) -> list[tuple[str, str]]:
    """(what it is, the text) for every piece of the person a password may not contain."""
    words: list[tuple[str, str]] = []
    if user.display_name:
        words.append((gettext("姓名"), user.display_name))
    if user.login:
        words.append((gettext("登录名"), user.login))
    if user.phone:
        words.append((gettext("手机号"), user.phone))
    if user.pk is not None:
        words += [
            (gettext("学号"), no)
            for no in Student.objects.filter(user=user).values_list("student_no", flat=True)
        ]
        words += [
            (gettext("工号"), no) for no in Staff.objects.filter(user=user).values_list("staff_no", flat=True)
        ]
        words += [
            (gettext("姓名"), name)
            for name in Student.objects.filter(user=user).values_list("name", flat=True)
        ]
        words += [
            (gettext("姓名"), name) for name in Staff.objects.filter(user=user).values_list("name", flat=True)
        ]
    return [(kind, word.strip()) for kind, word in words if _long_enough(word.strip())]


def _long_enough(word: str) -> bool:
    if not word:
        return False
    if word.isascii():
        return len(word) >= MIN_LATIN
    return len(word) >= 2


class PersonalInfoValidator:
    """Refuses a password that contains the person's name, login, phone, 学号 or 工号 (ignoring case)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = password.casefold()
        for kind, word in personal_words(user):
            if word.casefold() in folded:
                raise ValidationError(
                    gettext("密码不能包含您的%(what)s。") % {"what": kind}, code="password_has_personal_info"
                )

    def get_help_text(self) -> str:
        return gettext("密码不能包含您的姓名、登录名、手机号、学号或工号。")
