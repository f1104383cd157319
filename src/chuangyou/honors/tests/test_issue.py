import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from chuangyou.honors import certificates, services
from chuangyou.honors.models import CertificateCounter, Honor, Payable
from chuangyou.lib.errors import Conflict
from chuangyou.nominations import services as nom
from chuangyou.nominations.models import Notice
from chuangyou.nominations.tests.helpers import award_of, campaign_of, funds_line, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World, build_world

AFTER = dt.date(2026, 11, 21)


def test_issue_numbers_prize_and_final_only(world: World) -> None:
    campaign = campaign_of(world)
    line = funds_line(campaign, "150")
    award = award_of(world, prize="100", line=line)
    services.set_budget(actor=actor_for(world.wang), line=line, amount=Decimal(150))
    n1 = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n1], dt.date(2026, 9, 28))
    assert notice.ends_on == dt.date(2026, 10, 9)
    with pytest.raises(Conflict) as early:
        services.issue_notice(actor=actor_for(world.bella), notice=notice, today=dt.date(2026, 10, 9))
    assert early.value.message == "公示期至 2026-10-09 结束，公示期满后才能颁发。"
    [honor] = services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
    assert (honor.number, honor.serial) == ("2026yizhongGB0001", 1)
    assert Payable.objects.get().amount == Decimal(100)
    url = certificates.verify_url("yizhong", honor.number)
    assert url.startswith("http://")
    assert "/s/yizhong/honors/verify/?c=2026yizhongGB0001" in url
    assert certificates.unsign_number(url.split("c=")[1]) == "2026yizhongGB0001"
    assert certificates.unsign_number("2026yizhongGB0002:" + url.split(":")[-1]) is None


def test_beyond_budget_is_refused_until_a_leader_raises_it(world: World) -> None:
    campaign = campaign_of(world)
    line = funds_line(campaign, "100")
    award = award_of(world, prize="100", line=line)
    budget = services.set_budget(actor=actor_for(world.wang), line=line, amount=Decimal(100))
    s2 = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S009", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip
    noms = [selected(world, award, campaign), selected(world, award, campaign, s2)]
    notice = notice_for(world, campaign, noms, dt.date(2026, 9, 28))
    with pytest.raises(Conflict) as exc:
        services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
    assert exc.value.message == (
        "奖金预算不足：「表彰奖金」预算 100.00 元，已承诺 0 元，本次需 200.00 元，超出 100.00 元。"
        "请领导小组追加预算后再颁发。"
    )
    assert not Honor.objects.exists()
    with pytest.raises(Conflict):
        services.set_budget(actor=actor_for(world.wang), line=line, amount=Decimal(200))
    services.set_budget(actor=actor_for(world.bella), line=line, amount=Decimal(200))
    honors = services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
    assert [h.number for h in honors] == ["2026yizhongGB0001", "2026yizhongGB0002"]
    budget.refresh_from_db()
    assert (budget.amount, services.committed(budget)) == (Decimal(200), Decimal(200))


def test_pending_objection_holds_the_honor_back(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    nom.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="139", grounds="x", today=AFTER
    )
    with pytest.raises(Conflict) as exc:
        services.issue_notice(actor=actor_for(world.bella), notice=notice, today=dt.date(2026, 12, 1))
    assert exc.value.message == "没有可以颁发的荣誉：名单已全部颁发，或仍有未办结的异议。"


def test_revoke_records_reason(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    notice = notice_for(world, campaign, [selected(world, award, campaign)], dt.date(2026, 9, 28))
    [honor] = services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
    honor = services.revoke(actor=actor_for(world.alice), honor=honor, reason="材料造假", today=AFTER)
    assert (honor.revoked_on, honor.revoked_reason) == (AFTER, "材料造假")


def test_certificate_pdf_embeds_a_subset_cjk_font(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    notice = notice_for(world, campaign, [selected(world, award, campaign)], dt.date(2026, 9, 28))
    [honor] = services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
    pdf = certificates.render([services.certificate_data(honor)], services.seal_png(world.school))
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = page.extract_text()
    assert "荣誉证书" in text
    assert "肖同学" in text
    assert "2026yizhongGB0001" in text
    assert b"/FontFile2" in pdf  # the TrueType font is embedded


ISSUERS = 12


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_is_gapless() -> None:
    """12 issuers at once, each issuing one notice of the same award and year: serials 1..12, no gap."""
    world = build_world()
    campaign = campaign_of(world)
    award = award_of(world, quota=ISSUERS + 5)
    nom.update_award_type(actor=SYSTEM, award=award, shortlist_ratio=Decimal(1))
    notices = []
    for i in range(ISSUERS):
        s = org_services.create_student(
            actor=SYSTEM, school_class=world.class_1, student_no=f"C{i:02d}", name=f"丁{i}", gender="M",
            guardians=[(f"家长{i}", f"138000001{i:02d}")],
        )  # fmt: skip
        notices.append(
            notice_for(world, campaign, [selected(world, award, campaign, s)], dt.date(2026, 9, 28))
        )
    errors: list[Exception] = []
    start = threading.Barrier(ISSUERS)

    def issue(notice_id: int) -> None:
        try:
            notice = Notice.objects.get(pk=notice_id)
            start.wait()
            services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n.pk,)) for n in notices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = list(Honor.objects.order_by("serial").values_list("serial", "number"))
    assert rows == [(i, f"2026yizhongGB{i:04d}") for i in range(1, ISSUERS + 1)]
    assert CertificateCounter.objects.get(award_type=award, year=2026).last == ISSUERS
