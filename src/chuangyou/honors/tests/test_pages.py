import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from chuangyou.audit.models import AuditEntry
from chuangyou.honors import services
from chuangyou.honors.models import CertificateBatch, PrizeBudget, Seal
from chuangyou.nominations.models import Notice
from chuangyou.nominations.tests.helpers import award_of, campaign_of, funds_line, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.storage import PrivateStorage
from chuangyou.testing import PERSONAS, World


def issued_notice(world: World, count: int) -> Notice:
    """`count` students of 初一(1)班 selected, their notice ended, their honors issued."""
    campaign = campaign_of(world)
    award = award_of(world, quota=count)
    noms = [selected(world, award, campaign)]
    for i in range(count - 1):
        s = org_services.create_student(
            actor=SYSTEM, school_class=world.class_1, student_no=f"B{i}", name=f"丁{i}", gender="M",
            guardians=[(f"家长{i}", f"1390000000{i}")],
        )  # fmt: skip
        noms.append(selected(world, award, campaign, s))
    notice = notice_for(world, campaign, noms, dt.date(2026, 9, 28))
    services.issue_notice(actor=actor_for(world.bella), notice=notice, today=dt.date(2026, 11, 21))
    return notice


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 0, 0, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("as_zip", [False, True])
def test_batch_certificates_one_pdf_or_a_zip(
    world: World, django_capture_on_commit_callbacks, as_zip: bool
) -> None:  # type: ignore[no-untyped-def]
    notice = issued_notice(world, 3)
    alice = world.client("alice")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            reverse("honors:batch_request", args=["yizhong", notice.pk]), {"as_zip": "1" if as_zip else "0"}
        )
    batch = CertificateBatch.objects.get()
    assert response.url == reverse("honors:batch", args=["yizhong", batch.pk])
    assert (batch.status, batch.done, batch.total, batch.percent) == ("done", 3, 3, 100)
    assert isinstance(batch.file.storage, PrivateStorage)
    poll = alice.get(response.url, headers={"HX-Request": "true", "X-Chuangyou-Poll": "1"})
    assert b"<html" not in poll.content
    assert b'data-testid="batch-download"' in poll.content
    got = alice.get(reverse("honors:batch_file", args=["yizhong", batch.pk]))
    content = b"".join(got.streaming_content)
    numbers = ["2026yizhongGB0001", "2026yizhongGB0002", "2026yizhongGB0003"]
    if as_zip:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            assert sorted(zf.namelist()) == [f"{n}.pdf" for n in numbers]
            for n in numbers:
                pdf = PdfReader(io.BytesIO(zf.read(f"{n}.pdf")))
                assert len(pdf.pages) == 1
                assert n in pdf.pages[0].extract_text()
    else:
        pdf = PdfReader(io.BytesIO(content))
        assert len(pdf.pages) == 3
        assert [n in p.extract_text() for n, p in zip(numbers, pdf.pages, strict=True)] == [True] * 3
    assert (
        world.client("wang").get(reverse("honors:batch_file", args=["yizhong", batch.pk])).status_code == 403
    )


def test_batch_page_polls_while_running(world: World) -> None:
    notice = issued_notice(world, 1)
    batch = CertificateBatch.objects.create(
        school=world.school, notice=notice, total=4, done=1, status="running", requested_by=world.alice
    )
    page = world.client("alice").get(reverse("honors:batch", args=["yizhong", batch.pk]))
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert """hx-headers='{"X-Chuangyou-Poll": "1"}'""" in html
    assert 'style="width: 25%"' in html


def test_seal_upload_is_checked_and_private(world: World) -> None:
    alice, url = world.client("alice"), reverse("honors:seal", args=["yizhong"])
    bad = alice.post(url, {"image": SimpleUploadedFile("seal.gif", b"GIF89a", content_type="image/gif")})
    assert "不支持的文件类型：只能上传 JPEG、JPG、PNG 文件。" in bad.content.decode()
    assert not Seal.objects.exists()
    ok = alice.post(url, {"image": SimpleUploadedFile("seal.png", _png(), content_type="image/png")})
    assert ok.status_code == 302
    seal = Seal.objects.get()
    assert isinstance(seal.image.storage, PrivateStorage)
    assert alice.get(reverse("honors:seal_image", args=["yizhong"])).content == services.seal_png(
        world.school
    )
    assert AuditEntry.objects.filter(action="seal.upload").count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_school_admin_uploads_the_seal(world: World, persona: str) -> None:
    url = reverse("honors:seal", args=["yizhong"])
    response = world.client(persona).post(url, {"image": SimpleUploadedFile("s.png", _png())})
    if persona == "alice":
        assert response.status_code == 302
        assert Seal.objects.count() == 1
    else:
        assert response.status_code == 403
        assert "只有学校管理员可以管理公章图片。" in response.content.decode()
        assert not Seal.objects.exists()


def test_budget_raise_on_the_ledger_page(world: World) -> None:
    line = funds_line(campaign_of(world), "100")
    url = reverse("honors:budget", args=["yizhong", line.pk])
    wang, bella = world.client("wang"), world.client("bella")
    assert wang.post(url, {"amount": "100"}).status_code == 302
    refused = wang.post(url, {"amount": "150"}, follow=True)
    assert (
        "奖金预算不能超过方案中该经费项的金额 100.00 元；追加预算须由领导小组决定。"
        in refused.content.decode()
    )
    assert PrizeBudget.objects.get().amount == Decimal(100)
    page = bella.post(url, {"amount": "150"}, follow=True)
    assert "奖金预算已更新。" in page.content.decode()
    assert PrizeBudget.objects.get().amount == Decimal(150)
    actions = AuditEntry.objects.filter(object_type="honors.prizebudget").order_by("seq")
    assert list(actions.values_list("action", flat=True)) == ["prize_budget.set", "prize_budget.raise"]
    xlsx = bella.get(reverse("honors:ledger", args=["yizhong"]), {"format": "xlsx"})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["经费科目", "预算（元）", "已承诺（元）", "已支付（元）", "余额（元）"],
        ["表彰奖金", 150, 0, 0, 150],
    ]


def test_a_batch_is_audited_when_requested_and_when_written_or_failed(
    world: World, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: the task wrote the batch's file and status with no entry."""
    from chuangyou.honors import certificates

    notice = issued_notice(world, 2)
    alice = world.client("alice")
    url = reverse("honors:batch_request", args=["yizhong", notice.pk])
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(url, {"as_zip": "0"})
    batch = CertificateBatch.objects.get()
    entries = AuditEntry.objects.filter(object_type="honors.certificatebatch", object_id=str(batch.pk))
    assert [(e.action, e.school_id, (e.after or {}).get("status")) for e in entries.order_by("seq")] == [
        ("certificate_batch.request", world.school.pk, "queued"),
        ("certificate_batch.complete", world.school.pk, "done"),
    ]
    assert entries.get(action="certificate_batch.complete").after["file"] == batch.file.name

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(certificates, "render", broken)
    with django_capture_on_commit_callbacks(execute=True):  # the task backend logs the error, keeps it
        alice.post(url, {"as_zip": "1"})
    failed = CertificateBatch.objects.exclude(pk=batch.pk).get()
    entry = AuditEntry.objects.get(action="certificate_batch.fail")
    assert (failed.status, entry.object_id, entry.after) == (
        "failed", str(failed.pk), {"status": "failed", "done": 0, "error": "字体缺失"},
    )  # fmt: skip
