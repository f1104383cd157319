"""A count anyone can check: the files a published result offers, built from the rows as stored.

- ballots.json: every counted ballot's content in its stored order (random: closing shuffled them and
  their keys are random), each with its rater group, its verdict (valid / void / blank) and the hash of
  its receipt, and nothing else: no id, no time, no voter. With it the paper totals per group, the
  frozen rubric, the rules in full, the subjects and the groups (weight, how many entitled, how many
  one-time codes issued): everything a recount needs.
- ballots.csv: the same ballots as a table, for a spreadsheet.
- result.json: the published result with the SHA-256 of ballots.json, the rubric, the rules and what
  evaluation this is, signed with the school's Ed25519 key (school_key.py).

`verify_count.py` checks the three against each other with Python's standard library alone. The files
are the same bytes on every request (sorted keys, stored order), so their digests can be written down.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import counting, school_key
from chuangyou.evaluations.models import Ballot, Evaluation, PaperEntry
from chuangyou.evaluations.verify_count import BALLOTS_FORMAT, RESULT_FORMAT


@dataclass(frozen=True)
class GroupFigures:
    """One rater group on the result page."""

    name: str
    weight: str
    entitled: int  # online roll and paper ballots issued: the count's 应投人数
    codes_issued: int
    returned: int
    void: int
    blank: int
    valid: int
    paper_issued: int | None  # None: no paper ballots for this group
    paper_returned: int | None
    quorum_met: bool


# The three files by kind: the name they are saved under (after the school and the evaluation, see
# file_name) and their content type. The pages and the API offer the same.
FILE_KINDS = {
    "ballots_json": ("ballots.json", "application/json"),
    "ballots_csv": ("ballots.csv", "text/csv; charset=utf-8"),
    "result_json": ("result.json", "application/json"),
}


def file_name(evaluation: Evaluation, kind: str) -> str:
    """What a download is saved as: named after the school and the evaluation, so two don't clash."""
    return f"{evaluation.school.code}-{evaluation.pk}-{FILE_KINDS[kind][0]}"


@dataclass(frozen=True)
class CountFiles:
    ballots_json: bytes
    ballots_csv: bytes
    result_json: bytes
    ballots_sha256: str
    csv_sha256: str
    # what publishing wrote into the audit log; None for results published before it did
    published_sha256: str | None
    public_key: str
    fingerprint: str
    ballot_count: int
    groups: list[GroupFigures]
    criteria: tuple[counting.Criterion, ...]
    rules: counting.Rules

    def content(self, kind: str) -> bytes:
        return {
            "ballots_json": self.ballots_json,
            "ballots_csv": self.ballots_csv,
            "result_json": self.result_json,
        }[kind]


def verdict_word(verdict: str) -> str:
    return verdict if verdict in ("valid", "blank") else "void"


def ballot_data(evaluation: Evaluation) -> dict[str, Any]:
    """What ballots.json holds, from the rows as stored."""
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    rules = counting.rules_from_json(evaluation.rules)
    groups = evaluation.groups.annotate(
        roll=Count("entitlements"),
        codes=Count("entitlements", filter=Q(entitlements__code_hash__isnull=False)),
    ).order_by("pk")
    ballots = []
    rows = (
        Ballot.objects.filter(evaluation=evaluation)
        .order_by("id")
        .values_list("group_id", "verdict", "receipt_hash", "content")
    )
    for group_id, judged, receipt_hash, content in rows.iterator(chunk_size=2000):
        if not judged:  # stored before verdicts were: judged now, as the count does
            judged = counting.verdict(counting.BallotIn("", str(group_id), content or {}), rubric, rules)
        ballots.append(
            {
                "group": str(group_id),
                "verdict": verdict_word(judged),
                "receipt_hash": receipt_hash,
                "content": content or {},
            }
        )
    return {
        "format": BALLOTS_FORMAT,
        "evaluation": evaluation_meta(evaluation),
        "rubric": evaluation.rubric_in_force,
        "rules": rules.to_json(),
        "subjects": [
            {
                "key": str(s.pk),
                "name": s.name,
                "sort_key": s.surname_key,
                "has_project": s.has_project,
                "not_rated": s.not_rated,
            }
            for s in evaluation.subjects.all()
        ],
        "groups": [
            {
                "key": str(g.pk),
                "name": g.name,
                "weight": str(g.weight),
                "entitled": g.roll,
                "codes_issued": g.codes,
            }
            for g in groups
        ],
        "ballots": ballots,
        # the counted entry of each group's two agreeing ones, as compute_result takes it
        "paper": [
            {"group": str(e.group_id), **e.figures()}
            for e in PaperEntry.objects.filter(evaluation=evaluation, round=1).order_by("group_id")
        ],
    }


def evaluation_meta(evaluation: Evaluation) -> dict[str, Any]:
    """Which count this is, so a signature cannot be passed off for another evaluation."""
    return {
        "school": evaluation.school.code,
        "school_name": evaluation.school.name,
        "id": evaluation.pk,
        "title": evaluation.title,
        "published_on": evaluation.published_on.isoformat() if evaluation.published_on else None,
    }


def to_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode() + b"\n"


def ballots_csv(data: dict[str, Any]) -> bytes:
    """One row per ballot, one column per subject and criterion; then the paper totals."""
    criteria = [c.get("key") or f"c{i}" for i, c in enumerate(data["rubric"]["criteria"], start=1)]
    titles = {c.get("key") or f"c{i}": c["title"] for i, c in enumerate(data["rubric"]["criteria"], start=1)}
    names = {g["key"]: g["name"] for g in data["groups"]}
    cells = [(s["key"], c) for s in data["subjects"] for c in criteria]
    headers = [f"{s['name']}·{titles[c]}" for s in data["subjects"] for c in criteria]
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["评议主体 group", "判定 verdict", "回执哈希 receipt_hash", *headers])
    for b in data["ballots"]:
        marks = [b["content"].get(s, {}).get(c) for s, c in cells]
        out.writerow(
            [names[b["group"]], b["verdict"], b["receipt_hash"], *["" if m is None else m for m in marks]]
        )
    if data["paper"]:
        out.writerow([])
        out.writerow(["纸质票 paper", "发出 issued", "收回 returned", "废票 void", "弃权 blank", *headers])
        for p in data["paper"]:
            tallies = [
                "; ".join(f"{v}×{n}" for v, n in p["tallies"].get(s, {}).get(c, {}).items()) for s, c in cells
            ]
            out.writerow([names[p["group"]], p["issued"], p["returned"], p["void"], p["blank"], *tallies])
    return buffer.getvalue().encode("utf-8-sig")


def signed_part(evaluation: Evaluation, data: dict[str, Any], ballots_sha256: str) -> dict[str, Any]:
    return {
        "evaluation": data["evaluation"],
        "result": evaluation.result,
        "ballots_sha256": ballots_sha256,
        "rubric": data["rubric"],
        "rules": data["rules"],
    }


def ballots_digest(evaluation: Evaluation) -> str:
    """The SHA-256 of ballots.json as it is now: publishing writes it into the audit log."""
    return hashlib.sha256(to_bytes(ballot_data(evaluation))).hexdigest()


def published_digest(evaluation: Evaluation) -> str | None:
    entry = (
        AuditEntry.objects.filter(
            action="evaluation.publish",
            object_type=Evaluation._meta.label_lower,
            object_id=str(evaluation.pk),
        )
        .order_by("-seq")
        .values_list("after", flat=True)
        .first()
    )
    return (entry or {}).get("ballots_sha256")


def count_files(evaluation: Evaluation) -> CountFiles:
    """The files and the page's figures of a published evaluation (the caller checks who may read)."""
    assert evaluation.result is not None
    data = ballot_data(evaluation)
    ballots_bytes = to_bytes(data)
    csv_bytes = ballots_csv(data)
    digest = hashlib.sha256(ballots_bytes).hexdigest()
    signed = signed_part(evaluation, data, digest)
    public_key = school_key.public_key_hex(evaluation.school_id)
    fingerprint = school_key.fingerprint(public_key)
    result_bytes = to_bytes(
        {
            "format": RESULT_FORMAT,
            "signed": signed,
            "signature": {
                "algorithm": "Ed25519",
                "public_key": public_key,
                "fingerprint": fingerprint,
                "value": school_key.sign(evaluation.school_id, signed),
            },
        }
    )
    return CountFiles(
        ballots_json=ballots_bytes,
        ballots_csv=csv_bytes,
        result_json=result_bytes,
        ballots_sha256=digest,
        csv_sha256=hashlib.sha256(csv_bytes).hexdigest(),
        published_sha256=published_digest(evaluation),
        public_key=public_key,
        fingerprint=fingerprint,
        ballot_count=len(data["ballots"]),
        groups=_group_figures(evaluation.result, data),
        criteria=counting.rubric_from_json(data["rubric"]).criteria,
        rules=counting.rules_from_json(data["rules"]),
    )


def _group_figures(result: dict[str, Any], data: dict[str, Any]) -> list[GroupFigures]:
    counted = {g["key"]: g for g in result["groups"]}
    paper = {p["group"]: p for p in data["paper"]}
    rows = []
    for g in data["groups"]:
        c = counted.get(g["key"], {})
        p = paper.get(g["key"])
        rows.append(
            GroupFigures(
                name=g["name"],
                weight=c.get("weight") or g["weight"],
                entitled=c.get("entitled", g["entitled"]),
                codes_issued=g["codes_issued"],
                returned=c.get("returned", 0),
                void=c.get("void", 0),
                blank=c.get("blank", 0),
                valid=c.get("valid", 0),
                paper_issued=p["issued"] if p else None,
                paper_returned=p["returned"] if p else None,
                quorum_met=bool(c.get("quorum_met")),
            )
        )
    return rows
