"""What the evaluation services share: the rights messages, one-time codes and receipts (hashed with a
keyed digest), and the checks every write starts with."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.translation import gettext_lazy

from chuangyou.evaluations.models import (
    Evaluation,
)
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import Conflict
from chuangyou.org.models import (
    School,
)
from chuangyou.org.rules import Actor, require

MANAGE_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以管理评议。")
SUPERVISE_MESSAGE = gettext_lazy("只有监督小组成员可以查看全部计票数据。")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper by parents
CODE_LENGTH = 10
RECEIPT_LENGTH = 12
MAX_CODES = 2000


def _digest(purpose: str, text: str) -> str:
    """A keyed hash, so a copied database can't be searched for codes or receipts by brute force."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return _digest("code", normalize_code(code))


def receipt_digest(receipt: str) -> str:
    return _digest("receipt", normalize_code(receipt))


def _random_text(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def format_receipt(receipt: str) -> str:
    return "-".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def _require_manage(actor: Actor, school: School) -> None:
    require(can_manage_evaluation(actor, school), MANAGE_MESSAGE)


def _locked(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("school").get(pk=evaluation.pk)


def _require_state(evaluation: Evaluation, *states: str, message: str) -> None:
    if evaluation.state not in states:
        raise Conflict(message)
