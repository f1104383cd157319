from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chuangyou.campaigns.services import create_campaign
from chuangyou.org.rules import SYSTEM
from chuangyou.reports.bureau import bureau_summary_docx
from chuangyou.reports.models import Document
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World

AS_OF = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def test_the_bureau_summary_has_a_row_per_school_and_the_totals(world: World) -> None:
    s = build(world)
    create_campaign(
        actor=SYSTEM, school=world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    text = docx_text(bureau_summary_docx(world.bureau, s.campaign.year))
    assert "全系统2所学校" in text
    assert "学生参加活动1人，占50.0%" in text  # ming has only signed up for the contest to come
    assert "志愿服务2.5小时" in text
    assert "示例县第二中学" in text
    assert "合计" in text
    assert "_" not in text
    assert "奖金" not in text  # nothing was due


def test_the_bureau_summary_is_laid_out_like_the_schools(world: World) -> None:
    from chuangyou.reports.pdf import docx_to_pdf
    from chuangyou.reports.tests.scenario import commend
    from chuangyou.reports.tests.test_summary import check_gbt9704, check_pdf

    s = build(world)
    commend(world, s.campaign)
    create_campaign(
        actor=SYSTEM, school=world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    data = bureau_summary_docx(world.bureau, s.campaign.year, as_of=AS_OF)
    text = docx_text(data)
    assert f"示例县教育局{s.campaign.year}年度教育系统创先争优活动总结" in text
    assert "应发奖金100元，已发0元" in text
    check_gbt9704(
        data, headings=["一、基本情况", "二、主要做法", "三、取得的成效", "四、存在的问题和下一步打算"]
    )
    check_pdf(docx_to_pdf(data), signature=["示例县教育局", "2026年12月7日"])


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
