"""Who may do what with 创新项目, built on `org.rules`.

The working group (and whoever may manage the campaign) runs the calls, the panel and the decisions;
the lead applicant writes the proposal; the office and the bureau read everything. Which proposals
an advisor, a panel member or a team member sees is a query, so it lives in `projects.selectors`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from chuangyou.org.models import Role, School
from chuangyou.org.rules import Actor, can_manage_campaign, can_read_school, is_staff_of

MANAGE_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以管理创新项目征集与评审。")
READ_MESSAGE = gettext_lazy("只有本校师生、三个小组成员和主管教育局可以查看创新项目。")
LEAD_MESSAGE = gettext_lazy("只有项目负责人（申报学生本人）可以修改这个项目。")
PROPOSE_MESSAGE = gettext_lazy("只有本校学生可以申报创新项目。")


def can_manage_projects(actor: Actor, school: School) -> bool:
    return can_manage_campaign(actor, school)


def can_read_all_projects(actor: Actor, school: School) -> bool:
    """The school admin, the three groups and the bureau see every proposal and every recusal."""
    return can_read_school(actor, school)


def is_student_of(actor: Actor, school: School) -> bool:
    return actor.own_student_id is not None and actor.holds(Role.STUDENT, school_id=school.pk)


def can_see_calls(actor: Actor, school: School) -> bool:
    """Calls are announced to the whole school: its staff, its students, the office and the bureau."""
    return can_read_school(actor, school) or is_staff_of(actor, school) or is_student_of(actor, school)


def can_propose(actor: Actor, school: School) -> bool:
    return is_student_of(actor, school)


def is_lead_of(actor: Actor, lead_id: int) -> bool:
    return actor.own_student_id is not None and actor.own_student_id == lead_id
