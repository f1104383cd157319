"""What the activity services share: who takes part (a student or a teacher), the file types each
upload accepts, and a refusal on one field."""

from __future__ import annotations

from chuangyou.lib.errors import Invalid
from chuangyou.org.models import Staff, Student

Person = Student | Staff
SAFETY_TYPES = ("pdf", "doc", "docx", "jpg", "jpeg", "png")
EVIDENCE_TYPES = ("jpg", "jpeg", "png", "pdf", "doc", "docx")
CERTIFICATE_TYPES = ("jpg", "jpeg", "png", "pdf")


def _fail(field_name: str, message: str) -> Invalid:
    """An Invalid that the form shows on `field_name`."""
    return Invalid(message, {field_name: [message]})
