"""Who may do what with commitments, built on `org.rules`.

The drafter is the owner: a staff member drafts their own, a branch's 党支部书记 drafts the branch's.
The reviewer is the secretary of the branch the owner belongs to; a teacher outside the party is
reviewed by the secretary of any of the school's branches.
"""

from __future__ import annotations

from chuangyou.commitments.models import Commitment
from chuangyou.org.models import PartyBranch, School, Staff
from chuangyou.org.rules import (
    Actor,
    can_manage_campaign,
    can_read_school,
    is_branch_secretary,
    is_bureau_admin_of,
    is_school_admin,
)


def own_staff(actor: Actor, school: School) -> Staff | None:
    """The actor's own staff row in `school`, if they are one of its staff."""
    if actor.user is None:
        return None
    return Staff.objects.filter(school=school, user=actor.user).select_related("party_branch").first()


def is_secretary_in(actor: Actor, school: School) -> bool:
    """Secretary of at least one of the school's branches."""
    branch_ids = actor.secretary_branch_ids()
    return bool(branch_ids) and PartyBranch.objects.filter(school=school, pk__in=branch_ids).exists()


def reviewer_branch_ids(commitment: Commitment) -> set[int]:
    if commitment.owner_branch_id is not None:
        return {commitment.owner_branch_id}
    staff = commitment.owner_staff
    assert staff is not None
    if staff.party_branch_id is not None:
        return {staff.party_branch_id}
    return set(PartyBranch.objects.filter(school_id=commitment.school_id).values_list("pk", flat=True))


def can_draft(actor: Actor, commitment: Commitment) -> bool:
    if actor.system:
        return True
    if commitment.owner_branch is not None:
        return is_branch_secretary(actor, commitment.owner_branch)
    staff = commitment.owner_staff
    return actor.user is not None and staff is not None and staff.user_id == actor.user.pk


def can_review(actor: Actor, commitment: Commitment) -> bool:
    return actor.system or bool(reviewer_branch_ids(commitment) & actor.secretary_branch_ids())


def can_mark_fulfilment(actor: Actor, commitment: Commitment) -> bool:
    """At the end, the secretary or the campaign's office marks each item."""
    return can_review(actor, commitment) or can_manage_campaign(actor, commitment.school)


def can_file(actor: Actor, commitment: Commitment) -> bool:
    """申报备案 is the branch's act: its secretary, or the school admin on its behalf."""
    assert commitment.owner_branch is not None
    return is_branch_secretary(actor, commitment.owner_branch) or is_school_admin(actor, commitment.school)


def can_read_office(actor: Actor, school: School) -> bool:
    """The commitments office: the school's office, its bureau, and its branch secretaries."""
    return can_read_school(actor, school) or is_secretary_in(actor, school)


def can_follow_up(actor: Actor, school: School) -> bool:
    """Who chases overdue progress reports: the branch secretaries and the working group."""
    return can_manage_campaign(actor, school) or is_secretary_in(actor, school)


def can_change_settings(actor: Actor, school: School) -> bool:
    return can_manage_campaign(actor, school)


def can_read_commitment(actor: Actor, commitment: Commitment) -> bool:
    return (
        commitment.status == "published"
        or can_draft(actor, commitment)
        or can_review(actor, commitment)
        or can_read_office(actor, commitment.school)
    )


def can_see_evidence(actor: Actor, commitment: Commitment) -> bool:
    """The files behind progress reports: the owner, the reviewers and the school office."""
    return (
        can_draft(actor, commitment)
        or can_review(actor, commitment)
        or can_read_office(actor, commitment.school)
    )


def can_see_bureau_filings(actor: Actor, school: School) -> bool:
    return is_bureau_admin_of(actor, school)
