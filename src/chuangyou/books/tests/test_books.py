import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.books import records, selectors, services
from chuangyou.books.isbn import normalize_isbn
from chuangyou.books.models import BookAward, MonthlyPick, Rating, Recommendation
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org import services as org_services
from chuangyou.org.models import Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, PINNED_TODAY, World

MONTH = selectors.month_of(PINNED_TODAY)
API = "/api/v1/schools/yizhong/books"
BASE = "/school/yizhong/books/"
TEACHERS = ("alice", "bella", "wang", "su", "hu", "tian")
PICKERS = {"alice", "bella", "wang"}


def _recommend(world: World, who: str, title: str, **kw: object) -> Recommendation:
    args: dict[str, object] = {"author": "某作者", "review": "很好看的书。"} | kw
    return services.recommend(actor=actor_for(world.persona(who)), school=world.school, title=title, **args)  # type: ignore[arg-type]


def _rate(world: World, r: Recommendation, **stars: int) -> None:
    for teacher, value in stars.items():
        services.rate(actor=actor_for(world.persona(teacher)), recommendation=r, stars=value)


def _classmate(world: World, no: str, name: str) -> Student:
    student = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no=no, name=name, gender="F",
        guardians=[(f"{name}家长", f"1390000{no[1:]:0>4}")],
        on=timezone.localdate() - dt.timedelta(days=30),
    )  # fmt: skip
    return student


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("978-7-02-000220-7", "9787020002207"),
        ("7-02-000220-X", "9787020002207"),
        ("7-02-000220-1", None),
        ("0-306-40615-2", "9780306406157"),
        ("080442957X", "9780804429573"),
        ("978-7-02-000220-8", None),
        ("12345", None),
    ],
)
def test_isbn_check_digits(text: str, expected: str | None) -> None:
    assert normalize_isbn(text) == expected


def test_recommend_validates_and_allows_a_book_once(world: World) -> None:
    with pytest.raises(Invalid, match="ISBN 无效"):
        _recommend(world, "xiao", "红岩", isbn="978-7-02-000220-8")
    with pytest.raises(Invalid, match="推荐语不能超过 500 个字（现为 501 个字）"):
        _recommend(world, "xiao", "红岩", review="好" * 501)
    r = _recommend(world, "xiao", "《红岩》", author="罗广斌 杨益言", isbn="0-306-40615-2")
    assert (r.title, r.isbn, r.month, r.school_class) == ("红岩", "9780306406157", MONTH, world.class_1)
    with pytest.raises(Conflict, match="同一本书只能推荐一次"):
        _recommend(world, "xiao", "另一个书名", isbn="9780306406157")
    with pytest.raises(Conflict, match="同一本书只能推荐一次"):
        _recommend(world, "xiao", "另一个书名", isbn="9780306406157")
    _recommend(world, "xiao", "活着", author="余华")
    with pytest.raises(Conflict, match=r"在.*推荐过《活着》了"):  # next month, typed differently
        _recommend(
            world, "xiao", " 活 着", author="余 华", today=timezone.localdate() + dt.timedelta(days=40)
        )
    _recommend(world, "ming", "红岩", author="罗广斌 杨益言")  # another student may
    with pytest.raises(NotAllowed, match="只有本校学生可以推荐好书"):
        _recommend(world, "tian", "红岩")
    assert Recommendation.objects.count() == 3


def test_ratings_are_one_per_teacher_and_changeable(world: World) -> None:
    r = _recommend(world, "xiao", "红岩")
    _rate(world, r, tian=3, hu=5)
    _rate(world, r, tian=4)
    assert sorted(Rating.objects.values_list("stars", flat=True)) == [4, 5]
    with pytest.raises(Invalid, match="评分须为 1 至 5 星"):
        _rate(world, r, tian=6)
    with pytest.raises(NotAllowed):
        _rate(world, r, xiao=5)
    assert [c.average for c in selectors.candidates(world.school, MONTH)] == [Decimal("4.50")]


def test_shortlist_orders_by_average_then_count_then_submission_one_per_class(world: World) -> None:
    _classmate(world, "S003", "三同学")
    _classmate(world, "S004", "四同学")
    # The classmates' accounts have the key "yizhong:S003": sign them in through their users.
    a = _recommend(world, "xiao", "A")
    b = services.recommend(actor=actor_for(Student.objects.get(student_no="S003").user), school=world.school,  # type: ignore[arg-type]
                           title="B", author="x", review="好")  # fmt: skip
    c = _recommend(world, "ming", "C")
    d = services.recommend(actor=actor_for(Student.objects.get(student_no="S004").user), school=world.school,  # type: ignore[arg-type]
                           title="D", author="x", review="好")  # fmt: skip
    _rate(world, a, tian=4)  # 4.0 from one teacher
    _rate(world, b, tian=5, hu=3)  # 4.0 from two: ahead of A
    _rate(world, c, tian=3)
    _rate(world, d, tian=5)  # 5.0, class 1
    order = [x.recommendation.title for x in selectors.candidates(world.school, MONTH)]
    assert order == ["D", "B", "A", "C"]
    one = selectors.shortlist(world.school, MONTH, count=5, one_per_class=True)
    assert [x.recommendation.title for x in one] == ["D", "C"]
    many = selectors.shortlist(world.school, MONTH, count=3, one_per_class=False)
    assert [x.recommendation.title for x in many] == ["D", "B", "A"]


def test_pick_records_awards_needs_a_reason_to_deviate_and_happens_once(world: World) -> None:
    a = _recommend(world, "xiao", "A")
    c = _recommend(world, "ming", "C")
    _rate(world, a, tian=5)
    _rate(world, c, tian=3)
    wang = actor_for(world.wang)
    kw = {"actor": wang, "school": world.school, "month": MONTH, "winners_count": 5, "one_per_class": True}
    with pytest.raises(Invalid, match="与系统推荐名单不同，请填写调整理由"):
        services.pick_month(recommendation_ids=[c.pk, a.pk], **kw)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        services.pick_month(**(kw | {"actor": actor_for(world.tian)}), recommendation_ids=[a.pk, c.pk])  # type: ignore[arg-type]
    assert MonthlyPick.objects.count() == 0
    pick = services.pick_month(recommendation_ids=[c.pk, a.pk], reason="C 的推荐语更有感染力", **kw)  # type: ignore[arg-type]
    assert (pick.followed_shortlist, pick.reason, pick.decided_by) == (
        False,
        "C 的推荐语更有感染力",
        world.wang,
    )
    awards = list(BookAward.objects.order_by("rank").values_list("rank", "student_id", "month", "decided_by"))
    assert awards == [
        (1, world.student_ming.pk, MONTH, world.wang.pk),
        (2, world.student_xiao.pk, MONTH, world.wang.pk),
    ]
    entries = AuditEntry.objects.count()
    with pytest.raises(Conflict, match="已经评选过了"):
        services.pick_month(recommendation_ids=[a.pk, c.pk], **kw)  # type: ignore[arg-type]
    assert (BookAward.objects.count(), AuditEntry.objects.count()) == (2, entries)
    with pytest.raises(Invalid, match="评分已锁定"):
        _rate(world, a, hu=1)
    with pytest.raises(Invalid, match="已评选结束，请下月再推荐"):
        _recommend(world, "xiao", "E")
    lines = records.lines_for_students([world.student_xiao.pk])[world.student_xiao.pk]
    assert [(x.section, x.title, x.detail) for x in lines] == [
        ("好书推荐", "《A》某作者", f"{MONTH:%Y年%m月}好书推荐奖 第 2 名"),
    ]


def test_pick_follows_the_shortlist_without_reason_and_respects_one_per_class(world: World) -> None:
    s3 = _classmate(world, "S003", "三同学")
    a = _recommend(world, "xiao", "A")
    b = services.recommend(actor=actor_for(s3.user), school=world.school, title="B", author="x", review="好")  # type: ignore[arg-type]
    _rate(world, a, tian=5)
    _rate(world, b, tian=4)
    kw = {"actor": actor_for(world.bella), "school": world.school, "month": MONTH, "winners_count": 5}
    with pytest.raises(Invalid, match="每班至多一人"):
        services.pick_month(recommendation_ids=[a.pk, b.pk], one_per_class=True, reason="都好", **kw)  # type: ignore[arg-type]
    pick = services.pick_month(recommendation_ids=[a.pk, b.pk], one_per_class=False, **kw)  # type: ignore[arg-type]
    assert (pick.followed_shortlist, pick.reason, pick.one_per_class) == (True, "", False)


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_rate_through_the_page(world: World, name: str) -> None:
    r = _recommend(world, "xiao", "红岩")
    before = (list(Rating.objects.values_list("stars")), AuditEntry.objects.count())
    response = world.client(name).post(f"{BASE}rate/{r.pk}/", {"stars": "4"})
    if name in TEACHERS:
        assert response.status_code == 302
        assert list(Rating.objects.values_list("stars", flat=True)) == [4]
    else:
        assert response.status_code in (403, 404)
        assert (list(Rating.objects.values_list("stars")), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_pick_through_the_api(world: World, name: str) -> None:
    r = _recommend(world, "xiao", "红岩")
    _rate(world, r, tian=5)
    before = (MonthlyPick.objects.count(), AuditEntry.objects.count())
    body = {
        "month": f"{MONTH:%Y-%m}",
        "recommendation_ids": [r.pk],
        "winners_count": 5,
        "one_per_class": True,
    }
    response = world.client(name).post(f"{API}/picks", json.dumps(body), content_type="application/json")
    if name in PICKERS:
        assert response.status_code == 201
        assert response.json()["awards"][0]["rank"] == 1
        again = world.client(name).post(f"{API}/picks", json.dumps(body), content_type="application/json")
        assert again.status_code == 409
    else:
        assert response.status_code == 403
        assert (MonthlyPick.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("name", PERSONAS)
def test_who_sees_the_winners(world: World, name: str) -> None:
    status = world.client(name).get(f"{BASE}winners/").status_code
    assert status == (403 if name == "oscar" else 200)


def test_pages_flow_and_query_counts(world: World) -> None:
    xiao = world.client("xiao")
    form = xiao.get(f"{BASE}new/").content.decode()
    assert 'id="review-count"' in form
    assert (
        xiao.post(
            f"{BASE}new/", {"title": "红岩", "author": "罗广斌", "isbn": "", "review": "激动人心"}
        ).status_code
        == 302
    )
    tian = world.client("tian")
    row = tian.post(
        f"{BASE}rate/{Recommendation.objects.get().pk}/", {"stars": "4"}, headers={"HX-Request": "true"}
    )
    assert "我的评分：4 星" in row.content.decode()

    def add(n: int) -> None:
        for i in range(n):
            r = _recommend(world, "ming", f"书{Recommendation.objects.count()}-{i}")
            _rate(world, r, tian=3, hu=4)

    add(1)
    world.client("wang").get(f"{BASE}pick/")  # a first visit, so the counts below compare warm pages
    with CaptureQueriesContext(connection) as few:
        tian.get(f"{BASE}rate/")
    with CaptureQueriesContext(connection) as few_pick:
        world.client("wang").get(f"{BASE}pick/")
    add(6)
    with CaptureQueriesContext(connection) as many:
        tian.get(f"{BASE}rate/")
    with CaptureQueriesContext(connection) as many_pick:
        world.client("wang").get(f"{BASE}pick/")
    assert len(many) == len(few)
    assert len(many_pick) == len(few_pick)
    xiao_pk = Recommendation.objects.get(title="红岩").pk
    only_xiao = {"winners_count": "5", "one_per_class": "on", f"rank_{xiao_pk}": "1", "reason": ""}
    refused = world.client("wang").post(f"{BASE}pick/", only_xiao)
    assert "与系统推荐名单不同，请填写调整理由" in refused.content.decode()
    picked = world.client("wang").post(f"{BASE}pick/", only_xiao | {"reason": "只评一本"})
    assert picked.status_code == 302
    html = xiao.get(BASE).content.decode()
    assert f"{MONTH.year}年{MONTH.month}月好书推荐奖 第 1 名" in html
    winners = world.client("ma").get(f"{BASE}winners/").content.decode()
    assert "《红岩》罗广斌 — 肖同学" in winners


def test_api_recommend_rate_and_shortlist(world: World) -> None:
    created = world.client("xiao").post(
        f"{API}/recommendations", json.dumps({"title": "红岩", "author": "罗广斌", "review": "好书"}),
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    rid = created.json()["id"]
    rated = world.client("hu").put(
        f"{API}/recommendations/{rid}/rating", json.dumps({"stars": 5}), content_type="application/json"
    )
    assert rated.json() == {"recommendation_id": rid, "stars": 5, "average": "5.00", "ratings": 1}
    shortlist = world.client("wang").get(f"{API}/months/{MONTH:%Y-%m}/shortlist").json()
    assert [(c["recommendation"]["title"], c["average"], c["ratings"]) for c in shortlist] == [
        ("红岩", "5.00", 1)
    ]
    assert world.client("tian").get(f"{API}/months/{MONTH:%Y-%m}/shortlist").status_code == 403
    mine = world.client("ma").get(f"{API}/recommendations").json()["items"]
    assert [r["title"] for r in mine] == ["红岩"]
    assert world.client("ming").get(f"{API}/recommendations").json()["items"] == []


def test_reading_the_settings_writes_nothing_and_the_first_change_makes_the_row_audited(world: World) -> None:
    """Issue 10: the pick page and the API used to make the settings row on first read, with no entry."""
    from chuangyou.books.models import BookSettings

    wang = world.client("wang")
    entries = AuditEntry.objects.count()
    assert wang.get(f"{BASE}pick/").status_code == 200
    assert wang.get(f"{API}/settings").json() == {"winners_per_month": 5, "one_per_class": True}
    assert (BookSettings.objects.count(), AuditEntry.objects.count()) == (0, entries)
    services.update_settings(
        actor=actor_for(world.wang), school=world.school, winners_per_month=3, one_per_class=False
    )
    row = BookSettings.objects.get(school=world.school)
    entry = AuditEntry.objects.get(action="book.settings")
    assert (entry.object_id, entry.before, entry.after["winners_per_month"]) == (str(row.pk), None, 3)
    services.update_settings(
        actor=actor_for(world.wang), school=world.school, winners_per_month=4, one_per_class=False
    )
    later = AuditEntry.objects.filter(action="book.settings").latest("seq")
    assert (
        BookSettings.objects.count(),
        later.before["winners_per_month"],
        later.after["winners_per_month"],
    ) == (1, 3, 4)
