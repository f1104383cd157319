from __future__ import annotations

from typing import Any

import pytest

from chuangyou.campaigns.services import create_campaign
from chuangyou.org.rules import SYSTEM
from chuangyou.reports.bureau import bureau_summary_docx
from chuangyou.reports.models import Document
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World


def test_the_bureau_summary_has_a_row_per_school_and_the_totals(world: World) -> None:
    s = build(world)
    create_campaign(
        actor=SYSTEM, school=world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    text = docx_text(bureau_summary_docx(world.bureau, s.campaign.year))
    assert "全系统2所学校" in text
    assert "学生参加活动2人，占100.0%" in text
    assert "志愿服务2.5小时" in text
    assert "示例县第二中学" in text
    assert "合计" in text
    assert "_" not in text


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_sees_the_schools_side_by_side(
    world: World, name: str, django_capture_on_commit_callbacks: Any
) -> None:
    s = build(world)
    client = world.client(name)
    page = client.get(f"/bureau/county/reports/?year={s.campaign.year}")
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(f"/bureau/county/reports/{s.campaign.year}/summary/")
    if name == "ju":
        assert page.status_code == 200
        assert "示例县第一中学" in page.content.decode()
        assert posted.status_code == 302
        assert Document.objects.get().state == "done"
    else:
        assert (page.status_code, posted.status_code) == (403, 403)
        assert not Document.objects.exists()
