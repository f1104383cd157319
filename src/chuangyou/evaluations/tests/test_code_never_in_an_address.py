"""The one-time voting code never appears in an address (issue 9): access logs keep paths and query
strings in plain text. The slip's QR links to the code page with the code in the fragment, which the
browser keeps; the code reaches the server only in a POST body."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.test import Client

from chuangyou.evaluations import services
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.org.rules import actor_for
from chuangyou.pdf_support import qr_codes
from chuangyou.testing import World

BASE = "/school/yizhong/evaluations"
CODE_PAGE = "/s/yizhong/evaluations/v/"


def test_the_slips_qr_holds_the_code_only_in_the_fragment(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    group = evaluation.groups.get(name="家长")
    pdf = world.client("wang").post(f"{BASE}/{evaluation.pk}/groups/{group.pk}/codes.pdf", {"count": "3"})
    [urls] = qr_codes(pdf.content)

    assert len(urls) == 3
    parts = [urlsplit(url) for url in urls]
    assert {(p.scheme, p.netloc, p.path, p.query) for p in parts} == {
        ("http", "testserver", CODE_PAGE, "")  # the host the slips were printed from
    }
    codes = [p.fragment for p in parts]
    assert all(len(code) >= 8 for code in codes)
    assert len(set(codes)) == 3
    # The fragment is a live code: posted as the page's script does, it opens the ballot.
    services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    opened = Client().post(CODE_PAGE, {"code": codes[0]})
    assert opened.status_code == 200
    assert opened.content.decode().count('data-testid="ballot-subject"') == evaluation.subjects.count()


def test_the_code_page_posts_and_reads_the_fragment_with_a_static_script(world: World) -> None:
    html = Client().get(CODE_PAGE).content.decode()
    assert '<form method="post" action="/s/yizhong/evaluations/v/"' in html
    assert '<script src="/static/js/code-from-fragment.js" defer></script>' in html


def test_the_old_address_with_the_code_in_its_path_is_gone(world: World) -> None:
    evaluation = build_teacher_evaluation(world, codes=1)
    services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    code = evaluation.issued_codes  # type: ignore[attr-defined]
    for method in ("get", "post"):
        assert getattr(Client(), method)(f"{CODE_PAGE}{code[0]}/").status_code == 404
    assert Client().get(CODE_PAGE, {"code": code[0]}).content.decode().count("ballot-subject") == 0
