import pytest
import time_machine
from django.core.management import call_command

from chuangyou.accounts.models import User
from chuangyou.accounts.services import sign_in
from chuangyou.audit.services import verify_chain
from chuangyou.demo.loader import DEMO_PASSWORD, demo_logins, load_demo
from chuangyou.org.models import Guardian, Role, RoleMembership, School, SchoolClass, Staff, Student
from chuangyou.testing import PINNED_NOW


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo is big (about 1,200 students); build it once for this module, on the pinned day (a
    module fixture runs before the per-test clock is pinned)."""
    with django_db_blocker.unblock(), time_machine.travel(PINNED_NOW, tick=False):
        logins = load_demo()
        yield logins
        # The module's rows would leak into later tests otherwise: tests run in transactions, this didn't.
        from django.core.management import call_command as _call

        _call("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_zhaoling_has_the_size_the_issue_asks_for(demo: object) -> None:
    school = School.objects.get(code="zlzx")
    assert SchoolClass.objects.filter(school=school).count() == 24
    assert set(SchoolClass.objects.filter(school=school).values_list("grade__name", flat=True)) == {
        "初一", "初二", "初三",
    }  # fmt: skip
    students = Student.objects.filter(school=school).count()
    assert 24 * 42 <= students <= 24 * 48
    assert Staff.objects.filter(school=school).count() == 120
    assert Staff.objects.filter(school=school, is_party_member=True).count() == 40
    assert not Student.objects.filter(school=school, guardians__isnull=True).exists()
    assert RoleMembership.objects.filter(school=school, role=Role.HEAD_TEACHER).count() == 24


@pytest.mark.django_db
def test_every_group_has_one_leader(demo: object) -> None:
    for role in (Role.LEADING_GROUP, Role.WORKING_GROUP, Role.SUPERVISION_GROUP):
        seats = RoleMembership.objects.filter(school__code="zlzx", role=role)
        assert seats.filter(is_leader=True).count() == 1
        assert seats.count() >= 3


@pytest.mark.django_db
def test_second_run_changes_nothing_and_prints_the_same_logins(demo: object, capsys) -> None:  # type: ignore[no-untyped-def]
    before = (Student.objects.count(), User.objects.count(), Guardian.objects.count())
    call_command("load-demo")
    out = capsys.readouterr().out
    assert "演示数据已存在" in out
    assert (Student.objects.count(), User.objects.count(), Guardian.objects.count()) == before
    for login in demo_logins():
        assert login.login in out


@pytest.mark.django_db
def test_each_printed_login_signs_in_with_the_demo_password(demo: object) -> None:
    for login in demo_logins():
        phone_login = len(login.login) == 11 and login.login.isdigit()
        user = sign_in(
            login=login.login,
            password=DEMO_PASSWORD,
            school_code=None if phone_login else login.school_code,
            ip_address="127.0.0.1",
        )
        assert user.display_name == login.name


@pytest.mark.django_db
def test_the_demo_was_written_through_audited_services(demo: object) -> None:
    report = verify_chain()
    assert report.ok, report.problems
    assert report.checked > Student.objects.count()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_people(demo: object) -> None:
    # Pinned from seed 2012: a change to the generator or the build order shows up here.
    assert [(login.login, login.name) for login in demo_logins()] == [
        ("admin", "区教育局管理员"),
        ("T0009", "杜佳文"),
        ("T0001", "韦志宇"),
        ("T0006", "刘磊"),
        ("T0011", "周俊亮"),
        ("T0020", "杨紫梦"),
        ("T0100", "罗彤淑"),
        ("20260101", "梁彤梦"),
        ("13907300121", "梁轩文"),
    ]


@pytest.mark.django_db
def test_the_2012_plan_is_the_seeds(demo: object) -> None:
    from chuangyou.campaigns.models import Campaign
    from chuangyou.demo import plan_2012

    plan = Campaign.objects.get(school__code="zlzx", year=2012)
    assert plan.title == "昭陵中学2012年创先争优活动实施方案"
    assert plan.theme.startswith("筑堡垒，加强党的组织建设")
    assert list(plan.phases.order_by("order").values_list("name", flat=True)) == [
        "广泛发动，安排部署",
        "全面争创，扎实推进",
        "系统总结，完善机制",
    ]
    assert [title for title, _ in plan_2012.FIVE_GOODS] == [
        "领导班子好", "党员队伍好", "工作机制好", "工作业绩好", "师生反映好",
    ]  # fmt: skip
    assert [title for title, _ in plan_2012.FIVE_MODELS] == [
        "自觉学习的模范", "师德修养的模范", "教书育人的模范", "服务学生的模范", "遵纪守法的模范",
    ]  # fmt: skip


@pytest.mark.django_db
def test_this_years_plan_has_something_happening_in_november(demo: object) -> None:
    import datetime as dt

    from chuangyou.campaigns.models import Campaign

    plan = Campaign.objects.get(school__code="zlzx", year=2026)
    day = dt.date(2026, 11, 21)
    current = plan.current_phase(day)
    assert current is not None
    assert current.name == "全面争创"
    overdue = [a.title for a in plan.assignments.order_by("deadline") if a.is_overdue(day)]
    assert overdue == ["党支部和党员公开承诺", "组织秋季学科竞赛"]
    assert Campaign.objects.filter(school__code="syzx", year=2026).exists()


# --- the campaign year (participation.py, recognition.py) ----------------------------------------
# Exact counts pinned from seed 2012: a change to the generator, the build order or a service's rule
# shows up here.


@pytest.mark.django_db
def test_activities_have_sign_ups_waitlists_and_results(demo: object) -> None:
    from chuangyou.activities.models import Activity, ExternalAward, Registration, Result, Status

    school = School.objects.get(code="zlzx")
    assert Activity.objects.filter(school=school, status=Status.PUBLISHED).count() == 8
    assert len(set(Activity.objects.filter(school=school).values_list("kind", flat=True))) == 8
    registrations = Registration.objects.filter(school=school)
    assert registrations.filter(status="confirmed").count() == 314
    assert registrations.filter(status="waitlisted").count() == 13
    for title in ("2026年秋季初中数学竞赛", "参观昭陵区博物馆社会实践", "“清洁家园”社区志愿服务"):
        activity = Activity.objects.get(school=school, title=title)
        assert registrations.filter(activity=activity, status="confirmed").count() == activity.capacity
        positions = registrations.filter(activity=activity, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
        assert sorted(positions) == list(range(1, len(positions) + 1))
    results = Result.objects.filter(school=school)
    assert results.exclude(award="").count() == 64
    assert results.count() == 85
    prizes = ExternalAward.objects.filter(school=school).order_by("awarded_on")
    assert [(p.competition[:4], p.get_award_display()) for p in prizes] == [
        ("全国中学", "二等奖"),
        ("全国青少", "三等奖"),
    ]


@pytest.mark.django_db
def test_the_upcoming_activity_is_open_and_the_demo_student_can_still_sign_up(demo: object) -> None:
    import datetime as dt

    from django.utils import timezone

    from chuangyou.activities.models import Activity, Registration

    reading = Activity.objects.get(school__code="zlzx", title="“书香校园”读书分享会")
    day = timezone.make_aware(dt.datetime(2026, 11, 21, 10))
    assert reading.signup_is_open(day)
    student = Student.objects.get(school__code="zlzx", student_no="20260101")
    assert not Registration.objects.filter(activity=reading, student=student).exists()
    assert Registration.objects.filter(activity__school__code="zlzx", student=student).count() == 3


@pytest.mark.django_db
def test_weekly_practice_has_submissions_some_late_and_this_week_still_open(demo: object) -> None:
    from chuangyou.practice.models import ExerciseSet, Submission

    sets = ExerciseSet.objects.filter(school__code="zlzx", status="published")
    assert sets.count() == 8
    submissions = Submission.objects.filter(school__code="zlzx")
    assert submissions.count() == 533
    assert submissions.filter(submitted_at__isnull=True).count() == 0
    assert submissions.filter(is_late=True).count() == 62
    assert not submissions.filter(score__isnull=True).exists()  # every question is auto-graded
    student = Student.objects.get(school__code="zlzx", student_no="20260101")
    open_sets = sets.filter(week="2026-11-16")
    assert open_sets.count() == 2
    assert not submissions.filter(student=student, exercise_set__in=open_sets).exists()
    assert submissions.filter(student=student).count() == 6


@pytest.mark.django_db
def test_volunteer_hours_are_certified_with_consent_and_two_wait_for_the_organizer(demo: object) -> None:
    from decimal import Decimal

    from django.db.models import Sum

    from chuangyou.volunteering.models import Claim

    claims = Claim.objects.filter(school__code="zlzx")
    approved = claims.filter(status="approved")
    assert approved.filter(student__isnull=False).count() == 37
    assert approved.filter(staff__isnull=False).count() == 4
    assert approved.aggregate(total=Sum("hours"))["total"] == Decimal("121.5")
    assert not approved.filter(student__isnull=False, consent__in=["missing", "not_needed"]).exists()
    pending = claims.filter(status="pending")
    assert pending.filter(consent="online").count() == 2
    assert pending.filter(consent="missing").count() == 1


@pytest.mark.django_db
def test_books_october_is_picked_and_november_is_open(demo: object) -> None:
    from chuangyou.books.models import BookAward, MonthlyPick, Rating, Recommendation

    recommendations = Recommendation.objects.filter(school__code="zlzx")
    assert recommendations.filter(month="2026-10-01").count() == 24
    assert recommendations.filter(month="2026-11-01").count() == 10
    assert Rating.objects.filter(school__code="zlzx").count() == 108
    pick = MonthlyPick.objects.get(school__code="zlzx")
    assert str(pick.month) == "2026-10-01"
    assert pick.followed_shortlist
    winners = BookAward.objects.filter(pick=pick)
    assert winners.count() == 5
    assert len({w.recommendation.school_class_id for w in winners}) == 5  # one per class


@pytest.mark.django_db
def test_the_autumn_project_call_is_under_review_with_the_advisor_recused(demo: object) -> None:
    from chuangyou.projects.models import Call, Proposal, Recusal

    call = Call.objects.get(school__code="zlzx", semester="2026 秋季学期")
    assert call.review_opened_at is not None
    assert call.panel.count() == 5
    proposals = Proposal.objects.filter(call=call)
    assert proposals.count() == 4
    assert set(proposals.values_list("status", flat=True)) == {"under_review"}
    assert Recusal.objects.filter(proposal__call=call).count() == 1


@pytest.mark.django_db
def test_commitments_are_published_filed_and_reported_on(demo: object) -> None:
    from chuangyou.commitments.models import Commitment, Filing, Item, ProgressReport

    branch = Commitment.objects.get(school__code="zlzx", owner_branch__isnull=False)
    assert branch.status == "published"
    assert Item.objects.filter(commitment=branch).count() == 12
    assert Filing.objects.get(commitment=branch).item_count == 12
    people = Commitment.objects.filter(school__code="zlzx", owner_staff__isnull=False)
    assert people.filter(status="published").count() == 7
    assert list(people.filter(status="submitted").values_list("owner_staff__staff_no", flat=True)) == [
        "T0050"
    ]
    for commitment in people:
        assert 2 <= commitment.items.count() <= 5
    assert ProgressReport.objects.filter(school__code="zlzx").count() == 11


@pytest.mark.django_db
def test_the_teacher_evaluation_is_published_and_five_star_is_open(demo: object) -> None:
    from chuangyou.evaluations.models import Ballot, Entitlement, Evaluation

    published = Evaluation.objects.get(school__code="zlzx", state="published")
    assert published.subjects.count() == 6
    roll = Entitlement.objects.filter(evaluation=published)
    assert (roll.count(), roll.filter(has_voted=True).count()) == (20, 17)
    assert Ballot.objects.filter(evaluation=published).count() == 17
    assert published.result
    five_star = Evaluation.objects.get(school__code="zlzx", state="open", use="five_star")
    roll = Entitlement.objects.filter(evaluation=five_star)
    codes = roll.filter(code_hash__isnull=False)
    assert (codes.count(), codes.filter(has_voted=True).count()) == (40, 14)
    assert roll.filter(user__isnull=False, has_voted=True).count() == 78
    for login in ("T0001", "T0006", "T0100"):  # printed logins are left to vote
        user = Staff.objects.get(school__code="zlzx", staff_no=login).user
        assert roll.filter(user=user).exists()
        assert not roll.filter(user=user, has_voted=True).exists()


@pytest.mark.django_db
def test_honors_are_issued_numbered_within_budget_and_a_notice_is_running(demo: object) -> None:
    import datetime as dt
    import re

    from chuangyou.honors.models import Honor, Payable, PrizeBudget
    from chuangyou.nominations.models import Notice

    honors = Honor.objects.filter(school__code="zlzx").order_by("number")
    assert honors.count() == 16
    assert all(re.fullmatch(r"2026zlzx(SH|GB)\d{4}", h.number) for h in honors)
    assert [h.number for h in honors if "SH" in h.number][-1] == "2026zlzxSH0012"
    assert honors.filter(number__contains="GB").count() == 4
    assert Payable.objects.filter(school__code="zlzx").count() == 16
    assert PrizeBudget.objects.get(school__code="zlzx").amount == 8000
    day = dt.date(2026, 11, 21)
    notices = {n.title[7:11]: n for n in Notice.objects.filter(school__code="zlzx")}
    assert notices["初一年级"].state_on(day) == "ended"
    running = notices["初二年级"]
    assert running.state_on(day) == "running"
    assert (running.starts_on, running.ends_on) == (dt.date(2026, 11, 18), dt.date(2026, 11, 24))
    assert running.nominations.count() == 8
    assert not Honor.objects.filter(nomination__notice=running).exists()


@pytest.mark.django_db
def test_the_years_work_is_on_the_audit_chain(demo: object) -> None:
    from chuangyou.audit.models import AuditEntry

    report = verify_chain()
    assert report.ok, report.problems
    for action in ("activity.sign_up", "practice.submit", "volunteer.approve", "book.pick", "honor.issue"):
        assert AuditEntry.objects.filter(action=action).exists(), action


@pytest.mark.django_db
def test_the_demo_campaigns_summary_has_its_figures_and_no_blank(demo: object, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: the 总结 of the demo campaign, every number straight from the tables, and it opens."""
    import io
    import re
    from decimal import Decimal

    from django.db.models import Sum
    from pypdf import PdfReader

    from chuangyou.activities.models import Activity
    from chuangyou.campaigns.models import Campaign
    from chuangyou.reports.pdf import docx_to_pdf
    from chuangyou.reports.summary import docx_text
    from chuangyou.volunteering.models import Claim

    campaign = Campaign.objects.get(school__code="zlzx", year=2026)
    out = tmp_path / "总结.docx"
    call_command("write-summary", str(campaign.pk), "--out", str(out))
    data = out.read_bytes()
    text = docx_text(data)

    published = Activity.objects.filter(campaign=campaign, status="published").count()
    students = Student.objects.filter(school=campaign.school).count()
    staff = Staff.objects.filter(school=campaign.school).count()
    hours = Claim.objects.filter(school=campaign.school, status="approved").aggregate(h=Sum("hours"))["h"]
    expected = [
        f"共发布活动{published}项",
        f"全校现有学生{students}名、教职工{staff}名",
        f"共{Decimal(hours).normalize():f}小时",
    ]
    for sentence in expected:
        assert sentence in text
    assert "_" not in text
    assert "{{" not in text

    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(docx_to_pdf(data))).pages)
    for sentence in expected:
        assert sentence in re.sub(r"\s+", "", pdf_text)
