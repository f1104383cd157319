"""核查计票 on the pages: the ballot file, the signed result and the fingerprint, reached by clicking,
holding no voter data, checking out with the verifier, and refused to whoever may not read the result."""

import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import counting, school_key, services, verify_count
from chuangyou.evaluations.models import Ballot, Evaluation, Visibility
from chuangyou.evaluations.tests.test_ballots import entitlement, marks_for, open_
from chuangyou.org import services as org_services
from chuangyou.org.models import Role
from chuangyou.org.rules import SYSTEM, Actor, actor_for
from chuangyou.org.tests.test_english import compiled_catalogue  # noqa: F401
from chuangyou.testing import PINNED_TODAY, World

VOTERS = {"tian": ("好", "较好", "一般"), "alice": ("好", "好", "较好"), "hu": ("较好", "一般", "好"),
          "wang": ("好", "较好", "较好")}  # fmt: skip
FILE_IDS = ("ballots-json", "ballots-csv", "result-json")


@pytest.fixture
def published(world: World, teacher_evaluation: Evaluation) -> Evaluation:
    evaluation = open_(world, teacher_evaluation)
    receipts = [
        services.cast_ballot(
            actor=actor_for(world.persona(name)),
            entitlement=entitlement(world, evaluation, name),
            marks=marks_for(evaluation, *levels),
        )
        for name, levels in VOTERS.items()
    ]
    code = teacher_evaluation.issued_codes[0]  # type: ignore[attr-defined]
    receipts.append(
        services.cast_ballot(
            actor=Actor(user=None),
            entitlement=services.entitlement_for_code(code),
            marks=marks_for(evaluation, "一般", "好"),
            code=code,
        )
    )
    wang = actor_for(world.wang)
    services.close_voting(actor=wang, evaluation=evaluation)
    evaluation = services.publish(actor=wang, evaluation=evaluation)
    evaluation.receipts = receipts  # type: ignore[attr-defined]
    return evaluation


def in_school(evaluation: Evaluation) -> str:
    return f"/school/{evaluation.school.code}/evaluations/{evaluation.pk}/result/"


def public(evaluation: Evaluation) -> str:
    return f"/s/{evaluation.school.code}/evaluations/{evaluation.pk}/result/"


def links(page: str) -> dict[str, str]:
    """The file links of the 核查计票 section, by their test id."""
    found = dict(re.findall(r'<a href="([^"]+)" data-testid="(ballots-json|ballots-csv|result-json)"', page))
    return {testid: href for href, testid in found.items()}


def download(client: Client, page_url: str) -> tuple[str, dict[str, bytes]]:
    page = client.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    hrefs = links(text)
    assert set(hrefs) == set(FILE_IDS)
    files = {}
    for testid, href in hrefs.items():
        response = client.get(href)
        assert response.status_code == 200, href
        assert "attachment" in response["Content-Disposition"]
        files[testid] = response.content
    return text, files


def test_leaders_click_to_the_files_and_the_verifier_prints_the_published_totals(
    world: World, published: Evaluation, tmp_path: Path
) -> None:
    page, files = download(world.client("bella"), in_school(published))
    digest = hashlib.sha256(files["ballots-json"]).hexdigest()
    assert f'<code class="text-break" data-testid="ballots-sha256">{digest}</code>' in page
    fingerprint = school_key.school_fingerprint(published.school_id)
    assert f'data-testid="key-fingerprint">{fingerprint}</code>' in page
    assert "投票期间任何人（包括管理员和能读数据库的人）都看不到选票内容" in page
    assert 'data-testid="group-figures"' in page
    assert "与公布时写入审计日志的摘要一致。" in page
    entry = AuditEntry.objects.get(action="evaluation.publish", object_id=str(published.pk))
    assert entry.after["ballots_sha256"] == digest
    assert "对所有对象打同一分数的选票为废票" in page  # the rules, summarized

    report = verify_count.check(files["ballots-json"], files["result-json"], expected_fingerprint=fingerprint)
    assert report.problems == []
    for s in published.result["subjects"]:  # type: ignore[index]
        figures = (s["total"], s["rank"], s.get("level"), s.get("stars"))
        assert (
            f"  ✓ {s['name']}: " + " · ".join("—" if v is None else str(v) for v in figures) in report.lines
        )

    (tmp_path / "ballots.json").write_bytes(files["ballots-json"])
    (tmp_path / "result.json").write_bytes(files["result-json"])
    out = io.StringIO()
    call_command("verify-count", str(tmp_path / "ballots.json"), str(tmp_path / "result.json"), stdout=out)
    assert "核查通过" in out.getvalue()


def test_one_ballot_changed_in_the_file_fails_the_command(
    world: World, published: Evaluation, tmp_path: Path
) -> None:
    _, files = download(world.client("su"), in_school(published))
    data = json.loads(files["ballots-json"])
    ballot = next(b for b in data["ballots"] if b["verdict"] == "valid")
    subject = next(s for s, marks in ballot["content"].items() if marks["c1"] is not None)
    ballot["content"][subject]["c1"] = "差" if ballot["content"][subject]["c1"] != "差" else "好"
    (tmp_path / "ballots.json").write_bytes(
        json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode()
    )
    (tmp_path / "result.json").write_bytes(files["result-json"])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "verify-count", str(tmp_path / "ballots.json"), str(tmp_path / "result.json"), stdout=out
        )
    assert exited.value.code == 1
    assert "核查未通过" in out.getvalue()
    assert "选票文件的 SHA-256 与签名结果中记录的不一致" in out.getvalue()


def test_a_ballot_changed_in_the_database_after_publication_does_not_recount(
    world: World, published: Evaluation
) -> None:
    """Whoever rewrites a stored ballot gets a new file, signed afresh, that no longer recounts to the
    signed result (and its digest differs from the one written down at publication)."""
    _, before = download(world.client("bella"), in_school(published))
    ballot = Ballot.objects.filter(evaluation=published, verdict="valid").order_by("id").first()
    assert ballot is not None
    assert ballot.content
    ballot.content = {s: dict.fromkeys(marks, "差") for s, marks in ballot.content.items()}
    ballot.save(update_fields=["content"])
    page, after = download(world.client("bella"), in_school(published))
    published_digest = hashlib.sha256(before["ballots-json"]).hexdigest()
    assert f"与公布时写入审计日志的摘要 {published_digest} 不一致：公布后选票被改动过。" in page
    assert hashlib.sha256(after["ballots-json"]).digest() != hashlib.sha256(before["ballots-json"]).digest()
    report = verify_count.check(after["ballots-json"], after["result-json"])
    assert any("重算" in p for p in report.problems), report.problems
    assert not verify_count.check(after["ballots-json"], before["result-json"]).ok


def test_the_files_hold_no_voter_data(world: World, published: Evaluation) -> None:
    _, files = download(world.client("bella"), in_school(published))
    data = json.loads(files["ballots-json"])
    stored = list(Ballot.objects.filter(evaluation=published).order_by("id"))
    assert len(data["ballots"]) == len(stored) == 5
    # each ballot: its group, verdict, receipt hash and marks, in the stored (shuffled) order
    assert {tuple(sorted(b)) for b in data["ballots"]} == {("content", "group", "receipt_hash", "verdict")}
    assert [b["receipt_hash"] for b in data["ballots"]] == [b.receipt_hash for b in stored]
    assert {b["verdict"] for b in data["ballots"]} <= {"valid", "void", "blank"}
    everything = b"".join(files.values()).decode("utf-8-sig")
    for ballot in stored:
        assert str(ballot.pk) not in everything
        assert ballot.pk.hex not in everything
    for name in VOTERS:
        assert world.persona(name).username not in everything
    assert '"user' not in everything
    assert "voted" not in everything
    assert set(data) == {"format", "evaluation", "rubric", "rules", "subjects", "groups", "ballots", "paper"}
    assert set(data["groups"][0]) == {"key", "name", "weight", "entitled", "codes_issued"}
    parents = next(g for g in data["groups"] if g["name"] == "家长")
    assert parents["codes_issued"] == 3
    csv_rows = files["ballots-csv"].decode("utf-8-sig").splitlines()
    assert csv_rows[0].startswith("评议主体 group,判定 verdict,回执哈希 receipt_hash,")
    assert len(csv_rows) == 1 + 5


def test_the_fingerprint_shows_on_the_school_public_page(world: World, published: Evaluation) -> None:
    page = Client().get(f"/s/{published.school.code}/").content.decode()
    fingerprint = school_key.school_fingerprint(published.school_id)
    assert f'data-testid="key-fingerprint">{fingerprint}</code>' in page
    other = school_key.school_fingerprint(world.other_school.pk)
    assert other != fingerprint  # a key of its own per school
    assert public(published) not in page  # a teachers' evaluation is not listed publicly


def test_a_public_result_is_checked_from_the_school_page_without_login(
    world: World, published: Evaluation
) -> None:
    """A branch's result may be public (forced here in the database, as in test_visibility)."""
    Evaluation.objects.filter(pk=published.pk).update(visibility=Visibility.PUBLIC)
    anyone = Client()
    school_page = anyone.get(f"/s/{published.school.code}/").content.decode()
    assert f'href="{public(published)}"' in school_page
    page, files = download(anyone, public(published))
    assert all(href.startswith(f"/s/{published.school.code}/") for href in links(page).values())
    assert verify_count.check(files["ballots-json"], files["result-json"]).ok
    # under another school's address the same evaluation is not there
    elsewhere = f"/s/{world.other_school.code}/evaluations/{published.pk}/result/"
    for kind in ("", "ballots.json", "ballots.csv", "result.json"):
        assert anyone.get(elsewhere + kind).status_code == 404


@pytest.mark.parametrize("name", ["tian", "ma", "xiao", "oscar"])
def test_who_may_not_read_the_result_gets_no_file(world: World, published: Evaluation, name: str) -> None:
    client = world.client(name)
    page = client.get(in_school(published))
    assert page.status_code in (403, 404)
    assert 'data-testid="count-check"' not in page.content.decode()
    for kind in ("ballots.json", "ballots.csv", "result.json"):
        response = client.get(in_school(published) + kind)
        assert response.status_code in (403, 404)
        body = response.content.decode()
        assert "receipt_hash" not in body
        assert not any(b.receipt_hash in body for b in Ballot.objects.filter(evaluation=published))


def test_not_public_means_no_file_at_the_public_address_and_login_for_the_other(
    published: Evaluation,
) -> None:
    anyone = Client()
    for kind in ("ballots.json", "ballots.csv", "result.json"):
        assert anyone.get(public(published) + kind).status_code == 404
        response = anyone.get(in_school(published) + kind)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]


def test_with_visibility_self_a_teacher_sees_her_row_but_not_the_files(
    world: World, published: Evaluation
) -> None:
    services.set_visibility(actor=actor_for(world.wang), evaluation=published, visibility=Visibility.SELF)
    client = world.client("tian")
    page = client.get(in_school(published))
    assert page.status_code == 200
    assert 'data-testid="count-check"' not in page.content.decode()
    assert client.get(in_school(published) + "ballots.json").status_code == 403


def test_the_supervision_page_offers_the_same_check(world: World, published: Evaluation) -> None:
    page, files = download(
        world.client("su"), f"/school/{published.school.code}/evaluations/{published.pk}/supervise/"
    )
    assert "管理员能看到什么、能做什么" in page
    assert verify_count.check(files["ballots-json"], files["result-json"]).ok


def test_the_receipt_check_points_to_the_ballot_in_the_file(world: World, published: Evaluation) -> None:
    receipt = published.receipts[0]  # type: ignore[attr-defined]
    page = Client().get(
        f"/s/{published.school.code}/evaluations/{published.pk}/receipt/", {"receipt": receipt}
    )
    text = page.content.decode()
    digest = services.receipt_digest(receipt)
    assert f'data-testid="receipt-hash">{digest}</code>' in text
    assert f'href="{in_school(published)}#count-check"' in text
    _, files = download(world.client("bella"), in_school(published))
    assert digest in {b["receipt_hash"] for b in json.loads(files["ballots-json"])["ballots"]}


@pytest.mark.usefixtures("compiled_catalogue")
def test_the_check_reads_in_english(world: World, published: Evaluation) -> None:
    client = world.client("bella")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get(in_school(published)).content.decode()
    section = page[page.index('id="count-check"') : page.index("</section>", page.index('id="count-check"'))]
    assert "What administrators can see and do" in section
    # what the school typed in (group names, the rubric) stays as typed; nothing else is Chinese
    typed = [g.name for g in published.groups.all()]
    for c in published.rubric_in_force["criteria"]:
        typed += [c["title"], c.get("description", ""), *(label for label, _ in c["scale"].get("levels", ()))]
    rules = counting.rules_from_json(published.rules)
    typed += [level for _, level in rules.level_bands] + [level for level, _ in rules.level_caps]
    for text in sorted(filter(None, typed), key=len, reverse=True):
        section = section.replace(text, "")
    assert re.findall(r"[\u4e00-\u9fff]+", section) == []
    school_page = Client()
    school_page.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert (
        "Fingerprint of the key this school signs its counts with"
        in school_page.get(f"/s/{published.school.code}/").content.decode()
    )


def test_the_downloaded_verifier_runs_with_the_standard_library_alone(
    world: World, published: Evaluation, tmp_path: Path
) -> None:
    """Everything a voter needs comes from the page: the two files and the verifier, which runs in a
    Python started without site-packages (no Django, no PyNaCl) and with its own directory only."""
    client = world.client("bella")
    page, files = download(client, in_school(published))
    href = re.search(r'<a href="([^"]+)" data-testid="verifier"', page)
    assert href is not None
    (tmp_path / "verify_count.py").write_bytes(client.get(href.group(1)).content)
    (tmp_path / "ballots.json").write_bytes(files["ballots-json"])
    (tmp_path / "result.json").write_bytes(files["result-json"])
    run = subprocess.run(
        [sys.executable, "-I", "-S", "verify_count.py", "ballots.json", "result.json"],
        cwd=tmp_path, capture_output=True, text=True, check=False, env={"PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "签名有效（Ed25519，纯 Python 验证）" in run.stdout
    (tmp_path / "ballots.json").write_bytes(
        files["ballots-json"].replace(b'"verdict": "valid"', b'"verdict": "void"', 1)
    )
    tampered = subprocess.run(
        [sys.executable, "-I", "-S", "verify_count.py", "ballots.json", "result.json"],
        cwd=tmp_path, capture_output=True, text=True, check=False, env={"PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert tampered.returncode == 1
    assert "核查未通过" in tampered.stdout


def test_the_page_reads_the_ballots_in_a_fixed_number_of_queries(world: World, published: Evaluation) -> None:
    client = world.client("bella")
    with CaptureQueriesContext(connection) as five:
        assert client.get(in_school(published)).status_code == 200
    first = Ballot.objects.filter(evaluation=published).first()
    assert first is not None
    Ballot.objects.bulk_create(
        Ballot(
            school=published.school, evaluation=published, group_id=first.group_id, day=first.day,
            receipt_hash=f"{n:064x}", content=first.content, verdict=first.verdict,
        )
        for n in range(40)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as more:
        assert client.get(in_school(published)).status_code == 200
    assert len(more.captured_queries) == len(five.captured_queries) == 14  # the session read included


def test_paper_totals_are_in_the_file_and_the_table_and_recount(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    for name, levels in VOTERS.items():
        services.cast_ballot(
            actor=actor_for(world.persona(name)),
            entitlement=entitlement(world, evaluation, name),
            marks=marks_for(evaluation, *levels),
        )
    wang = actor_for(world.wang)
    services.close_voting(actor=wang, evaluation=evaluation)
    org_services.grant_role(
        actor=SYSTEM, user=world.tian, role=Role.WORKING_GROUP, school=world.school, starts_on=PINNED_TODAY
    )
    parents = evaluation.groups.get(name="家长")
    subject = str(evaluation.subjects.first().pk)  # type: ignore[union-attr]
    figures = {"issued": 4, "returned": 3, "void": 1, "blank": 0, "tallies": {subject: {"c1": {"好": 2}}}}
    for user in (world.wang, type(world.tian).objects.get(pk=world.tian.pk)):  # tian's seats anew
        services.enter_paper(actor=actor_for(user), group=parents, **figures)  # type: ignore[arg-type]
    published = services.publish(actor=wang, evaluation=evaluation)
    page, files = download(world.client("bella"), in_school(published))
    data = json.loads(files["ballots-json"])
    assert data["paper"] == [{"group": str(parents.pk)} | figures]
    assert "<td>4/3</td>" in page
    assert "纸质票 paper,发出 issued,收回 returned,废票 void,弃权 blank," in files["ballots-csv"].decode(
        "utf-8-sig"
    )
    report = verify_count.check(files["ballots-json"], files["result-json"])
    assert report.problems == []
    row = next(g for g in published.result["groups"] if g["name"] == "家长")  # type: ignore[index]
    assert (row["entitled"], row["returned"], row["void"]) == (3 + 4, 3, 1)
    assert any(line.startswith("  ✓ 家长: 7 · 3 · 2 · 1 · 0") for line in report.lines)
