"""评议评价: an evaluation, its subjects and rater groups, the voter roll, and the ballots.

Secrecy is in the schema: the voter roll (`Entitlement`: who may vote, whether they did, on which
day) and the ballots (`Ballot`: random UUID key, the day, a receipt hash, the marks) share no key,
no id order and no timestamp finer than the day. Closing the vote rewrites both tables (ballots in
random order, every roll row touched), so insertion order and PostgreSQL's xmin no longer link them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import PartyBranch, SchoolClass, SchoolOwned, Student


class SubjectType(models.TextChoices):
    BRANCH = "branch", _("党支部")
    TEACHER = "teacher", _("教师")
    PARTY_MEMBER = "party_member", _("党员")
    STUDENT = "student", _("学生")
    PROJECT = "project", _("创新项目")
    COMMITMENT = "commitment", _("承诺事项")
    CLASS = "class", _("班级")


PERSON_TYPES = {SubjectType.TEACHER, SubjectType.PARTY_MEMBER, SubjectType.STUDENT}


class Visibility(models.TextChoices):
    """Who reads a published result. Schools report results about people to the person and the
    leadership, not to the street: an evaluation of people is never public (see default_visibility)."""

    SELF = "self", _("本人（及领导小组）")
    LEADERS = "leaders", _("领导小组")
    STAFF = "staff", _("全校教职工")
    PUBLIC = "public", _("公开")


def default_visibility(subject_type: str) -> str:
    return Visibility.LEADERS if subject_type in PERSON_TYPES else Visibility.PUBLIC


def allowed_visibilities(subject_type: str) -> list[str]:
    if subject_type in PERSON_TYPES:
        return [Visibility.SELF, Visibility.LEADERS, Visibility.STAFF]
    return list(Visibility.values)


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


class Use(models.TextChoices):
    PROJECT_REVIEW = "project_review", _("创新项目评审")
    COMMITMENTS = "commitments", _("评诺")
    TEACHER_MERIT = "teacher_merit", _("师德标兵民主测评")
    FIVE_STAR = "five_star", _("五星级党支部创评")
    QUALITY = "quality", _("综合素质评价")


class Evaluation(SchoolOwned):
    title = models.CharField(_("名称"), max_length=120)
    subject_type = models.CharField(_("评议对象"), max_length=20, choices=SubjectType.choices)
    description = models.TextField(_("说明"), blank=True)
    preset = models.CharField(_("评价标准模板"), max_length=20, blank=True)
    rubric = models.JSONField(_("评价标准"))
    rules = models.JSONField(_("计票规则"))
    opens_at = models.DateTimeField(_("投票开始"))
    closes_at = models.DateTimeField(_("投票截止"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    frozen_rubric = models.JSONField(_("冻结的评价标准"), null=True, blank=True)
    result = models.JSONField(_("计票结果"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    visibility = models.CharField(
        _("结果查阅范围"), max_length=10, choices=Visibility.choices, default=Visibility.LEADERS
    )
    # Set when voting opens: ballots are sealed to this public key until close (see sealing.py).
    # Empty for evaluations opened before sealing existed, whose ballots are stored in plain.
    seal_salt = models.CharField(max_length=32, blank=True, default="", editable=False)
    seal_public_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # A supervision group's passphrase lock on the seal (sealing.Lock), or null: the unlock value
    # encrypted under the passphrase and under the recovery code, never either of them in plain.
    seal_lock = models.JSONField(null=True, blank=True, editable=False)
    # What this evaluation was built from (a use built on the engine), so its outcome can go back.
    use = models.CharField(_("用途"), max_length=20, choices=Use.choices, blank=True)
    use_object_id = models.PositiveIntegerField(_("来源编号"), null=True, blank=True)

    class Meta:
        verbose_name = _("评议")
        verbose_name_plural = _("评议")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="evaluation_window_in_order", condition=Q(closes_at__gt=models.F("opens_at"))
            ),
            # one panel review per call and one 评诺 per campaign, so an outcome has one source
            models.UniqueConstraint(
                fields=["use", "use_object_id"],
                condition=Q(use__in=["project_review", "commitments"]),
                name="evaluation_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def in_window(self, now: Any = None) -> bool:
        moment = now or timezone.now()
        return self.state == State.OPEN and self.opens_at <= moment < self.closes_at

    @property
    def rubric_in_force(self) -> dict[str, Any]:
        return self.frozen_rubric or self.rubric

    @property
    def passphrase_locked(self) -> bool:
        """Closing needs the supervision group's passphrase or the recovery code."""
        return bool(self.seal_lock)


class Subject(SchoolOwned):
    """A thing being rated, frozen as a row: its type, the id of the object, its name as it was, and
    for people the 姓氏笔画 key the ballot is sorted by."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("类型"), max_length=20, choices=SubjectType.choices)
    object_id = models.PositiveIntegerField(_("对象编号"), null=True, blank=True)
    name = models.CharField(_("名称"), max_length=120)
    surname_key = models.CharField(_("笔画序"), max_length=200)
    has_project = models.BooleanField(_("有创新项目"), default=False)
    not_rated = models.BooleanField(_("不参加评定"), default=False)
    conflicted_user_ids = models.JSONField(_("须回避的评委"), default=list, blank=True)

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["surname_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind", "object_id"],
                condition=Q(object_id__isnull=False),
                name="subject_once_per_evaluation",
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupKind(models.TextChoices):
    SELF = "self", _("自评")
    PEERS = "peers", _("同事互评")
    STUDENTS = "students", _("学生")
    PARENTS = "parents", _("家长")
    LEADERS = "leaders", _("领导")
    PANEL = "panel", _("评审组")
    PUBLIC = "public", _("群众")


class Source(models.TextChoices):
    ROLE = "role", _("按角色")
    CLASS = "class", _("按班级")
    BRANCH = "branch", _("按党支部")
    CODES = "codes", _("一次性投票码")
    LIST = "list", _("指定名单")


class RaterGroup(SchoolOwned):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("评议主体"), max_length=10, choices=GroupKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=1)
    source = models.CharField(_("成员来源"), max_length=10, choices=Source.choices)
    role = models.CharField(_("角色"), max_length=24, blank=True)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    party_branch = models.ForeignKey(
        PartyBranch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Source.LIST: the named voters (e.g. a review panel, a class's teachers), as user ids.
    user_ids = models.JSONField(_("指定成员"), default=list, blank=True)

    class Meta:
        verbose_name = _("评议主体")
        verbose_name_plural = _("评议主体")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Entitlement(SchoolOwned):
    """The voter roll: one row per voter or per one-time code. Never linked to a ballot."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="entitlements")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="entitlements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # A self-rater rates only this subject; others skip the subjects they are recused from.
    own_subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recused_subject_ids = models.JSONField(default=list, blank=True)
    has_voted = models.BooleanField(default=False)
    voted_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("投票资格")
        verbose_name_plural = _("投票资格")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(user__isnull=False), name="entitlement_once_per_group"
            ),
            models.CheckConstraint(
                name="entitlement_user_or_code",
                condition=Q(user__isnull=False, code_hash__isnull=True)
                | Q(user__isnull=True, code_hash__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.user_id or '码'}"


class Recusal(SchoolOwned):
    """A voter kept from rating one subject, and why."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="recusals")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("原因"), max_length=60)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")

    def __str__(self) -> str:
        return f"{self.user_id} ↛ {self.subject}"


def new_ballot_id() -> uuid.UUID:
    return uuid.uuid4()  # random, not time-ordered: the key says nothing about when


class Ballot(SchoolOwned):
    """One ballot's content. No voter, no code, no time of day."""

    id = models.UUIDField(primary_key=True, default=new_ballot_id, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="ballots")
    day = models.DateField()
    receipt_hash = models.CharField(max_length=64, unique=True)
    # While voting is open the content and verdict sit in `sealed`, encrypted to the evaluation's
    # public key, and `content` is null; closing opens them and writes them here in random order.
    content = models.JSONField(null=True)
    sealed = models.BinaryField(null=True, editable=False)
    # counting.verdict of the content under the frozen rules, set when cast: lets the count run as a
    # GROUP BY in the database. "" = not judged yet (rows from before), judged in Python at count time.
    verdict = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        indexes = [models.Index(fields=["evaluation", "verdict"], name="ballot_evaluation_verdict")]

    def __str__(self) -> str:
        return str(self.id)


class PaperEntry(SchoolOwned):
    """纸质票 totals for one group, entered twice by two working-group members."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="paper_entries")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="paper_entries")
    round = models.PositiveSmallIntegerField(_("录入轮次"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued = models.PositiveIntegerField(_("发出票数"))
    returned = models.PositiveIntegerField(_("收回票数"))
    void = models.PositiveIntegerField(_("废票"))
    blank = models.PositiveIntegerField(_("弃权票"))
    tallies = models.JSONField(_("计票"))

    class Meta:
        verbose_name = _("纸质票录入")
        verbose_name_plural = _("纸质票录入")
        constraints = [
            models.UniqueConstraint(fields=["group", "round"], name="paper_entry_once_per_round"),
            models.CheckConstraint(name="paper_entry_round_1_or_2", condition=Q(round__in=[1, 2])),
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.round}"

    def figures(self) -> dict[str, Any]:
        return {
            "issued": self.issued,
            "returned": self.returned,
            "void": self.void,
            "blank": self.blank,
            "tallies": self.tallies,
        }


class NetUse(models.Model):
    """How many codes were used from one network (a salted hash of its /24 prefix and the day) in a
    ten-minute slot. Kept apart from ballots and codes: it shows bursts, never who voted what."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    net_hash = models.CharField(max_length=64)
    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "net_hash", "day", "slot"], name="netuse_unique_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.net_hash[:8]} {self.day} {self.slot}"


class Portfolio(SchoolOwned):
    """综合素质评价: a student's 写实记录 for one evaluation (one term). The student writes it and,
    at term end, selects the materials per dimension and signs; a teacher may not write it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="portfolios")
    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="portfolio")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    # dimension key → {"text": the student's own words, "lines": the record lines they selected}
    entries = models.JSONField(_("写实记录"), default=dict)
    signed_on = models.DateField(_("签名日期"), null=True, blank=True)
    signature = models.CharField(_("签名"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("写实记录")
        verbose_name_plural = _("写实记录")

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.evaluation_id}"
