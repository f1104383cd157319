"""A Content-Security-Policy on every response, and templates that need nothing it forbids: no inline
script, no on*= handler, no htmx hx-on (which evaluates its text), no javascript: link (issue 9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from chuangyou.testing import World

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    """The header's directives (django-csp does not keep them in one order)."""
    return dict(d.strip().split(" ", 1) for d in header.split(";"))


TEMPLATES = sorted(Path(settings.PACKAGE_DIR).glob("**/templates/**/*.html"))


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/accounts/login/"),
        (None, "/s/yizhong/"),
        (None, "/s/yizhong/evaluations/v/"),
        (None, "/no/such/page/"),
        (None, "/api/v1/docs"),
        ("wang", "/school/yizhong/reports/"),
        ("wang", "/api/v1/schools/yizhong/activities"),
    ],
)
def test_every_response_carries_the_policy(world: World, who: str | None, path: str) -> None:
    client = world.client(who) if who else Client()
    response = client.get(path)
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_the_templates_are_found() -> None:
    assert len(TEMPLATES) > 100
    assert Path(settings.PACKAGE_DIR, "templates", "base.html") in TEMPLATES


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(settings.PACKAGE_DIR)))
def test_no_template_has_an_inline_script_or_handler(template: Path) -> None:
    text = template.read_text()
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    assert not HANDLER.search(text), HANDLER.search(text)
    assert "hx-on" not in text
    assert "javascript:" not in text.lower()


def test_every_script_a_template_loads_is_a_static_file() -> None:
    loaded = set()
    for template in TEMPLATES:
        loaded |= set(re.findall(r"<script src=\"\{% static '([^']+)' %\}\"", template.read_text()))
    assert {"js/app.js", "js/charts.js", "js/code-from-fragment.js"} <= loaded
    assert [name for name in sorted(loaded) if not finders.find(name)] == []
