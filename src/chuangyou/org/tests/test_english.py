"""The interface in English: a signed-in user switches language through the real /i18n/setlang/ form,
and the pages of the participation apps come out in English, with no Chinese left but the names and
other data the school typed in. Plus: every message of those apps has an English translation."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chuangyou.activities.models import Activity, Evidence
from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.org.models import Bureau, Grade, Guardian, PartyBranch, School, SchoolClass, Staff, Student
from chuangyou.testing import World

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# The apps whose messages this catalogue covers in full.
TRANSLATED_APPS = (
    "accounts",
    "org",
    "audit",
    "campaigns",
    "roster",
    "public",
    "activities",
    "practice",
    "volunteering",
    "books",
    "projects",
    "commitments",
    "records",
    "nominations",
    "honors",
    "evaluations",
    "exhibition",
    "reports",
)
TRANSLATED_FILES = (
    "web.py",
    "forms.py",
    "lib/uploads.py",
    "lib/fonts.py",
    "lib/workdays.py",
    "templates/base.html",
    "templates/403.html",
    "templates/404.html",
)
SHARED_ROUTERS = ("common", "me", "people", "bureaus")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue() -> None:
    """A fresh clone has only the .po (the .mo is git-ignored): compile it when missing or stale."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        call_command("compilemessages", locale=["en"], verbosity=0)
        from django.utils import translation

        translation.trans_real._translations = {}  # type: ignore[attr-defined]
        translation.trans_real._default = None  # type: ignore[attr-defined]


def _english(client: Client) -> Client:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _data_strings() -> list[str]:
    """Everything on a page that the school typed in (names), longest first so parts don't shadow."""
    texts: set[str] = {"中文"}  # the language switch names Chinese in Chinese, on purpose
    for model in (Bureau, School, Grade, PartyBranch, Student, Staff, Guardian):
        texts.update(str(v) for v in model.objects.values_list("name", flat=True))
    texts.update(str(c) for c in SchoolClass.objects.select_related("grade"))
    texts.update(str(a) for a in Activity.objects.values_list("title", flat=True))
    texts.update(str(c) for c in Campaign.objects.values_list("title", flat=True))
    texts.update(str(c) for c in Campaign.objects.values_list("theme", flat=True))
    texts.update(str(p) for p in Phase.objects.values_list("name", flat=True))
    from chuangyou.accounts.models import User

    for user in User.objects.all():
        texts.add(str(user.display_name))
        texts.add(str(user))
    return sorted((t for t in texts if t), key=len, reverse=True)


def _chinese_left(html: str) -> list[str]:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    for data in _data_strings():
        text = text.replace(data, "")
    return sorted({m.group(0) for m in re.finditer(r"[^<>]{0,20}[\u3400-\u9fff]+[^<>]{0,20}", text)})


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    html = response.content.decode()
    assert '<html lang="en">' in html, url
    return html


@pytest.mark.django_db
class TestPagesInEnglish:
    def test_setlang_switches_a_signed_in_user(self, world: World) -> None:
        client = world.client("alice")
        assert '<html lang="zh-CN">' in client.get("/").content.decode()
        html = _page(_english(client), "/")
        assert "Sign out" in html or "Change password" in html
        assert "Import roster" in html
        assert _chinese_left(html) == []

    @pytest.mark.parametrize(
        ("persona", "url", "expected"),
        [
            ("alice", "/school/yizhong/people/students/", ["Student number", "Search"]),
            ("alice", "/school/yizhong/campaigns/", ["Campaign plan"]),
            ("alice", "/school/yizhong/activities/", ["New activity", "Activity calendar"]),
            ("tian", "/school/yizhong/practice/", ["Set new exercises"]),
            ("xiao", "/school/yizhong/volunteering/", ["My volunteer service", "Claim hours"]),
            ("tian", "/s/yizhong/commitments/", ["Public commitments board"]),
            ("alice", "/school/yizhong/honors/", ["Commendations", "Prize money ledger", "Long-term honors"]),
            (
                "wang",
                "/school/yizhong/evaluations/",
                ["New evaluation", "One click: five-star branch rating"],
            ),
        ],
    )
    def test_app_pages(self, world: World, persona: str, url: str, expected: list[str]) -> None:
        html = _page(_english(world.client(persona)), url)
        for label in expected:
            assert label in html, (url, label)
        assert _chinese_left(html) == [], url

    def test_audit_log_page(self, world: World) -> None:
        from chuangyou.audit.models import AuditEntry

        html = _page(_english(world.client("su")), "/school/yizhong/audit/")
        assert "Audit log" in html
        # What the log recorded is data: who acted, the object, and the values before and after. The
        # grade field's English help names the grades in Chinese on purpose (org catalogue).
        recorded = ["初一, 初二, 初三 / 高一…"]
        for entry in AuditEntry.objects.all():
            recorded += [entry.actor_label, entry.object_repr]
            for values in (entry.before or {}, entry.after or {}):
                recorded += [str(v) for v in values.values() if v not in (None, "")]
        for text in sorted(set(recorded), key=len, reverse=True):
            html = html.replace(text, "")
        assert _chinese_left(html) == []

    def test_public_honor_roll(self, world: World) -> None:
        year = timezone.localdate().year
        html = _page(_english(Client()), f"/s/yizhong/honors/roll/{year}/")
        assert "This year's commendations have not been published yet." in html
        assert _chinese_left(html) == []

    def test_public_code_ballot_entry(self, world: World) -> None:
        html = _page(_english(Client()), "/s/yizhong/evaluations/v/")
        assert "Vote with a code" in html
        assert "Open ballot" in html
        assert _chinese_left(html) == []

    def test_school_dashboard(self, world: World) -> None:
        from chuangyou.reports.tests.scenario import build

        build(world)  # a campaign year with activities, practice, commitments and honors to count
        html = _page(_english(world.client("bella")), "/school/yizhong/reports/")
        for label in (
            "Campaign statistics",
            "Student participation",
            "Phase progress",
            "Generate summary report",
        ):
            assert label in html, label
        assert _chinese_left(html) == []

    def test_public_exhibition_gallery(self, world: World) -> None:
        from chuangyou.reports.tests.scenario import build

        build(world)  # an approved activity photo on show
        html = _page(_english(Client()), "/s/yizhong/exhibition/")
        assert "Photo gallery" in html
        assert "Request removal" in html
        for caption in Evidence.objects.values_list("caption", flat=True):  # what the uploader typed
            html = html.replace(caption, "") if caption else html
        assert _chinese_left(html) == []

    def test_login_page(self) -> None:
        html = _page(_english(Client()), "/accounts/login/")
        assert "Sign in to Chuangyou" in html
        assert "Password" in html
        assert _chinese_left(html) == []

    def test_a_service_refusal_is_in_english(self, world: World) -> None:
        # raised by volunteering.selectors from a module-level gettext_lazy message
        html = _page(_english(world.client("xiao")), "/school/yizhong/volunteering/volunteers/", status=403)
        assert "Only the school admin, the three groups, head teachers and the bureau can view" in html
        assert "Access denied" in html
        assert _chinese_left(html) == []

    def test_chinese_stays_the_default(self, world: World) -> None:
        html = world.client("xiao").get("/school/yizhong/volunteering/volunteers/").content.decode()
        assert "只有本校管理员、三个小组成员、班主任和主管教育局可以查看志愿者名单。" in html
        assert '<html lang="zh-CN">' in html


# --- the catalogue ----------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return bytes(body, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _entries(text: str) -> list[dict[str, object]]:
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict[str, object] = {"refs": [], "fuzzy": False, "msgid": "", "msgstr": {}}
        field: tuple[str, int] | None = None
        for line in block.splitlines():
            if line.startswith("#:"):
                entry["refs"] = [*entry["refs"], *line[2:].split()]  # type: ignore[misc]
            elif line.startswith("#,"):
                entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line
            elif line.startswith("msgid_plural"):
                field = ("plural", 0)
            elif line.startswith("msgid "):
                field = ("msgid", 0)
                entry["msgid"] = _unquote(line)
            elif line.startswith("msgstr"):
                index = int(line[7]) if line.startswith("msgstr[") else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = _unquote(line)  # type: ignore[index]
            elif line.startswith('"') and field is not None:
                if field[0] == "msgid":
                    entry["msgid"] = str(entry["msgid"]) + _unquote(line)
                elif field[0] == "msgstr":
                    entry["msgstr"][field[1]] += _unquote(line)  # type: ignore[index]
        entries.append(entry)
    return entries


def _translated_here(ref: str) -> bool:
    path = ref.rsplit(":", 1)[0]
    parts = path.split("/")
    if path in TRANSLATED_FILES or parts[0] in TRANSLATED_APPS:
        return True
    if parts[0] == "templates" and len(parts) > 2:
        return parts[1] in (*TRANSLATED_APPS, "includes")
    if path.startswith("api/routers/"):
        return parts[2].removesuffix(".py") in (*TRANSLATED_APPS, *SHARED_ROUTERS)
    return False


def test_every_message_of_the_translated_apps_has_english() -> None:
    entries = _entries(PO.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert not header["fuzzy"]
    assert "nplurals=2; plural=(n != 1);" in str(header["msgstr"])
    ours = [e for e in messages if any(_translated_here(r) for r in e["refs"])]  # type: ignore[attr-defined]
    assert len(ours) > 1000
    missing = [e["msgid"] for e in ours if not all(e["msgstr"].values()) or not e["msgstr"]]  # type: ignore[attr-defined]
    assert missing == []
    fuzzy = [e["msgid"] for e in ours if e["fuzzy"]]
    assert fuzzy == []


def test_the_catalogue_compiles_cleanly(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
