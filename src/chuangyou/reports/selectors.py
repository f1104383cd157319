"""Reads for the dashboards, limited to what the actor may see, and the charts' rows with their links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_lazy

from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import NotFound
from chuangyou.nominations.models import Level, Nomination, NominationStatus
from chuangyou.org.models import Bureau, School, SchoolClass, Student
from chuangyou.org.rules import Actor, can_manage_class, can_read_school, can_view_student, require
from chuangyou.reports.facts import facts_for
from chuangyou.reports.figures import SchoolFacts
from chuangyou.reports.models import Briefing, DocState, Document
from chuangyou.reports.personal import PersonalFacts, personal_facts

READ_MESSAGE = gettext_lazy("只有本校管理员、三个小组成员和主管教育局可以查看统计。")
CLASS_MESSAGE = gettext_lazy("只有班主任和学校办公室可以查看这个班的统计。")
BUREAU_MESSAGE = gettext_lazy("只有本局管理员可以查看各校对比。")


def link(name: str, *args: object, query: str = "") -> str:
    """The office page a figure counts, or "" while the app that owns it has no such page."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def campaign_of(actor: Actor, school: School, year: int | None) -> Campaign | None:
    """The campaign of `year`, or the latest one; phases prefetched for the facts."""
    require(can_read_school(actor, school) or bool(actor.head_teacher_class_ids()), READ_MESSAGE)
    rows = Campaign.objects.filter(school=school).select_related("school").prefetch_related("phases")
    if year is not None:
        found = rows.filter(year=year).first()
        if found is None:
            raise NotFound(
                gettext("%(school)s还没有 %(year)s 年度的活动方案。") % {"school": school.name, "year": year}
            )
        return found
    return rows.order_by("-year").first()


def school_facts(actor: Actor, campaign: Campaign, *, as_of: dt.datetime | None = None) -> SchoolFacts:
    require(can_read_school(actor, campaign.school), READ_MESSAGE)
    return facts_for([campaign], as_of=as_of, with_classes=True)[campaign.school_id]


def class_facts(actor: Actor, campaign: Campaign, school_class: SchoolClass) -> tuple[SchoolFacts, int]:
    """The school's facts and the index of the class's line, for its 班主任 or the office."""
    require(
        can_manage_class(actor, school_class) or can_read_school(actor, school_class.school), CLASS_MESSAGE
    )
    facts = facts_for([campaign], with_classes=True)[campaign.school_id]
    index = next(i for i, line in enumerate(facts.classes) if line.class_id == school_class.pk)
    return facts, index


def documents_of(actor: Actor, school: School) -> QuerySet[Document]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Document.objects.filter(school=school).select_related("requested_by")


def document_for(actor: Actor, school: School, document_id: int) -> Document:
    found = documents_of(actor, school).filter(pk=document_id).first()
    if found is None:
        raise NotFound(gettext("没有这份文稿。"))
    return found


def document_file(actor: Actor, school: School, document_id: int, fmt: str) -> tuple[Document, FieldFile]:
    """A school document's .docx or .pdf, once written."""
    document = document_for(actor, school, document_id)
    if fmt not in ("docx", "pdf"):
        raise NotFound(gettext("没有这种格式。"))
    field = document.pdf if fmt == "pdf" else document.docx
    if document.state != DocState.DONE or not field:
        raise NotFound(gettext("这份文稿还没有生成。"))
    return document, field


def briefings_of(actor: Actor, school: School) -> QuerySet[Briefing]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Briefing.objects.filter(school=school).select_related("document")


def bureau_campaigns(actor: Actor, bureau: Bureau, year: int) -> list[Campaign]:
    require(actor.system or bureau.pk in actor.bureau_ids(), BUREAU_MESSAGE)
    return list(
        Campaign.objects.filter(school__bureau=bureau, year=year)
        .select_related("school")
        .prefetch_related("phases")
        .order_by("school__code")
    )


def bureau_documents(actor: Actor, bureau: Bureau) -> QuerySet[Document]:
    require(actor.system or bureau.pk in actor.bureau_ids(), BUREAU_MESSAGE)
    return Document.objects.filter(bureau=bureau).select_related("requested_by")


def bureau_document(actor: Actor, bureau: Bureau, document_id: int) -> Document:
    """A bureau document ready to download."""
    found = bureau_documents(actor, bureau).filter(pk=document_id, state=DocState.DONE).first()
    if found is None or not found.docx:
        raise NotFound(gettext("这份文稿还没有生成。"))
    return found


@dataclass(frozen=True)
class Row:
    """One line of a chart's table: its label, its figures, and the page listing what it counts."""

    label: str
    values: tuple[object, ...]
    url: str = ""


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str  # "bar" or "line"
    headers: tuple[str, ...]  # the label column first
    rows: list[Row]
    series: int = 0  # which value the chart draws

    def data(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind,
            "labels": [r.label for r in self.rows],
            "values": [_plain(r.values[self.series]) for r in self.rows],
            "urls": [r.url for r in self.rows],
            "name": self.headers[self.series + 1],
        }


def _plain(value: object) -> float | int | None:
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, int) else None


def dashboard_charts(facts: SchoolFacts, school: School, year: int) -> list[Chart]:
    """The dashboard's charts, each bar or point linked to the page behind its number."""
    return [
        *_class_charts(facts, school.code),
        *_activity_charts(facts, school.code),
        *_outcome_charts(facts, school.code, year),
    ]


def _class_charts(facts: SchoolFacts, code: str) -> list[Chart]:
    classes = Chart(
        "participation",
        gettext("各班学生参与率（%）"),
        "bar",
        (gettext("班级"), gettext("参与率（%）"), gettext("参与人数"), gettext("学生数")),
        [
            Row(c.name, (c.participation, c.taking_part, c.students), link("records:class", code, c.class_id))
            for c in facts.classes
        ],
    )
    practice = Chart(
        "practice",
        gettext("每周一练按时完成率（%）"),
        "bar",
        (
            gettext("班级"),
            gettext("按时完成率（%）"),
            gettext("完成率（%）"),
            gettext("按时份数"),
            gettext("应交份数"),
        ),
        [
            Row(
                c.name,
                (c.on_time, c.completion, c.practice_on_time, c.practice_expected),
                link("practice:class_record", code, c.class_id),
            )
            for c in facts.classes
        ],
    )
    return [classes, practice]


def _activity_charts(facts: SchoolFacts, code: str) -> list[Chart]:
    kinds = Chart(
        "kinds",
        gettext("各类活动数"),
        "bar",
        (gettext("类别"), gettext("活动数")),
        [
            Row(k.label, (k.count,), link("activities:list", code, query=f"kind={k.kind}"))
            for k in facts.activities.by_kind
        ],
    )
    weeks = Chart(
        "weeks",
        gettext("每周参与人次"),
        "line",
        (gettext("周（周一）"), gettext("参与人次")),
        [
            Row(
                w.week.isoformat(),
                (w.person_times,),
                link("activities:calendar", code, query=f"month={w.week:%Y-%m}"),
            )
            for w in facts.weeks
        ],
    )
    return [kinds, weeks]


def _outcome_charts(facts: SchoolFacts, code: str, year: int) -> list[Chart]:
    c = facts.commitments
    commitments_url = link("commitments:home", code, query=f"year={year}")
    commitments = Chart(
        "commitments",
        gettext("承诺事项兑现情况"),
        "bar",
        (gettext("状态"), gettext("条数")),
        [
            Row(gettext("已兑现"), (c.fulfilled,), commitments_url),
            Row(gettext("践诺中"), (c.pending - c.overdue,), commitments_url),
            Row(gettext("逾期未兑现"), (c.overdue,), link("commitments:overdue", code)),
            Row(gettext("未兑现"), (c.not_fulfilled,), commitments_url),
        ],
    )
    stars = Chart(
        "stars",
        gettext("党支部星级分布"),
        "bar",
        (gettext("星级"), gettext("支部数"), gettext("占比（%）"), gettext("目标占比（%）")),
        [
            Row(
                gettext("%(n)s星") % {"n": s.stars},
                (s.count, s.share, s.target),
                link("evaluations:list", code),
            )
            for s in facts.evaluations.stars
        ],
    )
    honors = Chart(
        "honors",
        gettext("各类表彰人次"),
        "bar",
        (gettext("奖项"), gettext("表彰人次")),
        [Row(t.name, (t.count,), link("honors:list", code)) for t in facts.honors.by_type],
    )
    return [commitments, stars, honors]


PERSONAL_MESSAGE = gettext_lazy("只能查看自己或自己孩子的活动小结。")


def personal_summary(actor: Actor, school: School, student_id: int, year: int | None) -> PersonalFacts | None:
    """A student's own summary, for the student, their parent, their 班主任 or the office."""
    student = (
        Student.objects.select_related("school_class__grade", "school")
        .filter(school=school, pk=student_id)
        .first()
    )
    if student is None:
        raise NotFound(gettext("没有这名学生。"))
    require(can_view_student(actor, student), PERSONAL_MESSAGE)
    rows = Campaign.objects.filter(school=school).prefetch_related("phases")
    campaign = rows.filter(year=year).first() if year is not None else rows.order_by("-year").first()
    if campaign is None:
        return None
    return personal_facts(campaign, student)


def bureau_nominations(actor: Actor, bureau: Bureau) -> QuerySet[Nomination]:
    """Nominations at bureau level from the bureau's schools, still to decide or selected."""
    require(actor.system or bureau.pk in actor.bureau_ids(), BUREAU_MESSAGE)
    return (
        Nomination.objects.filter(
            school__bureau=bureau,
            level=Level.BUREAU,
            status__in=[NominationStatus.ACTIVE, NominationStatus.SELECTED],
        )
        .select_related("award_type", "school", "campaign")
        .order_by("award_type_id", "school__code", "pk")
    )
