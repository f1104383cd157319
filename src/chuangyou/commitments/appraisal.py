"""评诺 on the evaluation engine: a campaign's published commitment items rated by 党员评 (the branch's
members), 群众评 (the public, by one-time code) and 组织评 (the leading group). The engine keeps the
ballots and the count; the items and their fulfilment stay in this app.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from chuangyou.campaigns.models import Campaign
from chuangyou.commitments.selectors import ballot_subjects
from chuangyou.evaluations import services as engine
from chuangyou.evaluations.models import Evaluation, GroupKind, Source, SubjectType, Use
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import Invalid
from chuangyou.org.models import PartyBranch, Role
from chuangyou.org.rules import Actor, require


def create_commitment_appraisal(
    *,
    actor: Actor,
    campaign: Campaign,
    branch: PartyBranch,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    members_weight: Decimal = Decimal(1),
    public_weight: Decimal = Decimal(1),
    organization_weight: Decimal = Decimal(1),
) -> Evaluation:
    """评诺: every published commitment item of the campaign, rated 党员评 (the branch's members) +
    群众评 (the public, by one-time code) + 组织评 (the leading group). A member does not rate their
    own items."""
    require(can_manage_evaluation(actor, campaign.school), engine.MANAGE_MESSAGE)
    if branch.school_id != campaign.school_id:
        raise Invalid(gettext("请选择本校党支部。"), {"branch": [gettext("请选择本校党支部。")]})
    items = ballot_subjects(campaign)
    if not items:
        raise Invalid(gettext("这个活动方案还没有公开的承诺事项。"))
    owners = engine.staff_user_ids(i.owner_id for i in items if i.owner_kind == "staff")
    with transaction.atomic():
        evaluation = engine.create_once(
            gettext("这个活动方案的评诺已经建立。"),
            actor=actor,
            school=campaign.school,
            title=f"{campaign.year}年度评诺",
            subject_type=SubjectType.COMMITMENT,
            preset="commitment",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.COMMITMENTS,
            use_object_id=campaign.pk,
        )
        engine.add_subjects(
            actor=actor,
            evaluation=evaluation,
            specs=[
                engine.SubjectSpec(
                    SubjectType.COMMITMENT,
                    i.item_id,
                    f"{i.owner_name}：{i.content}",
                    conflicted_user_ids=(owners[i.owner_id],)
                    if i.owner_kind == "staff" and i.owner_id in owners
                    else (),
                )
                for i in items
            ],
        )
        for kind, name, source, weight, extra in (
            (GroupKind.PEERS, "党员评", Source.BRANCH, members_weight, {"party_branch": branch}),
            (GroupKind.PUBLIC, "群众评", Source.CODES, public_weight, {}),
            (GroupKind.LEADERS, "组织评", Source.ROLE, organization_weight, {"role": Role.LEADING_GROUP}),
        ):
            engine.add_group(
                actor=actor,
                evaluation=evaluation,
                kind=kind,
                name=name,
                source=source,
                weight=weight,
                **extra,
            )
    return evaluation
