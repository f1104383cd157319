"""{% load workers %}{% worker_stalled as stalled %}: see chuangyou.lib.workers."""

from __future__ import annotations

from django import template

from chuangyou.lib.workers import work_waits_unpicked

register = template.Library()


@register.simple_tag
def worker_stalled() -> bool:
    return work_waits_unpicked()
