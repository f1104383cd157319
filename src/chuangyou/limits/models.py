"""The database side of the rate limiter: one row per (what is limited, who, which window)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """Hits in one fixed window. `key` names the limit, the window and a hash of who is counted (an
    address, an account), so the table holds no addresses or logins. Rows past `expires_at` count for
    nothing and are swept as new windows open."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("频率计数")
        verbose_name_plural = _("频率计数")

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"
