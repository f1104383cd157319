"""Who reads a published result: a teachers' 民主测评 is the leadership's (or each teacher's own row),
never the street's; a branch's 五星创评 may be public, and a public page never ranks anyone."""

import pytest
from django.test import Client

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import services
from chuangyou.evaluations.models import Evaluation, Visibility
from chuangyou.evaluations.tests.test_ballots import entitlement, marks_for, open_
from chuangyou.lib.errors import Invalid
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

VOTERS = ("tian", "alice", "hu", "wang")


@pytest.fixture
def published(world: World, teacher_evaluation: Evaluation) -> Evaluation:
    evaluation = open_(world, teacher_evaluation)
    for name in VOTERS:
        services.cast_ballot(
            actor=actor_for(world.persona(name)),
            entitlement=entitlement(world, evaluation, name),
            marks=marks_for(evaluation, "好", "较好", "一般"),
        )
    wang = actor_for(world.wang)
    services.close_voting(actor=wang, evaluation=evaluation)
    return services.publish(actor=wang, evaluation=evaluation)


def _in_school(evaluation: Evaluation) -> str:
    return f"/school/{evaluation.school.code}/evaluations/{evaluation.pk}/result/"


def _public(evaluation: Evaluation) -> str:
    return f"/s/{evaluation.school.code}/evaluations/{evaluation.pk}/result/"


def test_a_teachers_evaluation_is_the_leaderships_by_default(world: World, published: Evaluation) -> None:
    assert published.visibility == Visibility.LEADERS
    anyone = Client()
    refused = anyone.get(_public(published))
    assert refused.status_code == 404
    assert "这项评议的结果不对外公开。" in refused.content.decode()
    api = anyone.get(f"/api/v1/schools/{published.school.code}/evaluations/{published.pk}/result")
    assert api.status_code == 404
    for name in ("bella", "wang", "su"):  # leading group, working group (runs it), supervision
        assert world.client(name).get(_in_school(published)).status_code == 200
    teacher = world.client("tian").get(_in_school(published))
    assert teacher.status_code == 403, teacher.content.decode()[-1500:]
    assert "这项评议的结果只向领导小组公布。" in teacher.content.decode()


def test_for_all_staff_a_teacher_reads_it_and_a_parent_does_not(world: World, published: Evaluation) -> None:
    services.set_visibility(actor=actor_for(world.wang), evaluation=published, visibility=Visibility.STAFF)
    assert world.client("tian").get(_in_school(published)).status_code == 200
    assert world.client("ma").get(_in_school(published)).status_code in (403, 404)


def test_for_oneself_each_teacher_sees_only_her_own_row(world: World, published: Evaluation) -> None:
    mine = f"/school/{published.school.code}/evaluations/mine/"
    assert _in_school(published) not in world.client("tian").get(mine).content.decode()
    services.set_visibility(actor=actor_for(world.wang), evaluation=published, visibility=Visibility.SELF)
    assert _in_school(published) in world.client("tian").get(mine).content.decode()  # her way in
    page = world.client("tian").get(_in_school(published)).content.decode()
    assert page.count('data-testid="result-row"') == 1
    assert "田师" in page
    assert "您只能看到关于您本人的结果。" in page
    for other in ("王武", "白拉", "胡班"):
        assert other not in page
    full = world.client("bella").get(_in_school(published)).content.decode()
    assert full.count('data-testid="result-row"') == 6


def test_a_result_about_people_cannot_be_made_public(world: World, published: Evaluation) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(Invalid) as exc:
        services.set_visibility(
            actor=actor_for(world.wang), evaluation=published, visibility=Visibility.PUBLIC
        )
    assert exc.value.message == "对个人的评议结果不能公开，只能选本人、领导小组或全校教职工。"
    published.refresh_from_db()
    assert (published.visibility, AuditEntry.objects.count()) == (Visibility.LEADERS, before)
    services.set_visibility(actor=actor_for(world.wang), evaluation=published, visibility=Visibility.STAFF)
    entry = AuditEntry.objects.filter(action="evaluation.visibility").get()
    assert (entry.before, entry.after) == ({"visibility": "leaders"}, {"visibility": "staff"})


def test_only_who_runs_it_sets_the_visibility(world: World, published: Evaluation) -> None:
    response = world.client("tian").post(
        f"/school/{published.school.code}/evaluations/{published.pk}/visibility/", {"visibility": "staff"}
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.visibility == Visibility.LEADERS


def test_a_public_result_shows_no_rank(world: World, published: Evaluation) -> None:
    """A public result (here forced in the database, as a branch's would be) lists no 名次."""
    Evaluation.objects.filter(pk=published.pk).update(visibility=Visibility.PUBLIC)
    page = Client().get(_public(published)).content.decode()
    assert page.count('data-testid="result-row"') == 6
    assert "<th>名次</th>" not in page
    assert "排第" not in page
    assert "公开页面不显示名次。" in page
    inside = world.client("bella").get(_in_school(published)).content.decode()
    assert "<th>名次</th>" in inside


def test_a_teacher_clicks_from_home_to_her_ballot(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    client = world.client("tian")
    home = client.get("/").content.decode()
    mine = f"/school/{evaluation.school.code}/evaluations/mine/"
    assert f'href="{mine}"' in home
    group = entitlement(world, evaluation, "tian").group_id
    assert (
        f"/school/{evaluation.school.code}/evaluations/{evaluation.pk}/vote/{group}/"
        in client.get(mine).content.decode()
    )
