"""The paced sealer (audit.services._Pace): with an interval, no writer seals; a burst of writes is
sealed in one block by the chain's timer when the interval ends, without another write."""

from __future__ import annotations

import time
from typing import Any

import pytest

from chuangyou.audit.models import AuditBlock, AuditEntry
from chuangyou.audit.services import verify_chain
from chuangyou.org import services
from chuangyou.org.rules import SYSTEM


@pytest.mark.django_db(transaction=True)
def test_a_burst_is_sealed_in_few_blocks_and_the_tail_by_the_timer(settings: Any) -> None:
    bureau = services.create_bureau(actor=SYSTEM, code="p", name="节奏县教育局")
    school = services.create_school(actor=SYSTEM, bureau=bureau, code="pace", name="节奏中学")
    settings.AUDIT_SEAL_INTERVAL = 0.4
    time.sleep(0.5)  # past any interval the setup's writes started
    blocks_before = AuditBlock.objects.filter(chain=school.pk).count()
    for i in range(6):
        services.create_party_branch(actor=SYSTEM, school=school, name=f"第{i}党支部")
    # no writer sealed: all six wait for the chain's one timer
    assert AuditEntry.objects.filter(chain=school.pk, block=None).count() == 6
    deadline = time.monotonic() + 5
    while AuditEntry.objects.filter(chain=school.pk, block=None).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not AuditEntry.objects.filter(chain=school.pk, block=None).exists()
    assert AuditBlock.objects.filter(chain=school.pk).count() - blocks_before == 1
    report = verify_chain(school=school)
    assert report.ok, report.problems


@pytest.mark.django_db(transaction=True)
def test_an_interval_of_zero_seals_after_every_commit(settings: Any) -> None:
    bureau = services.create_bureau(actor=SYSTEM, code="z", name="立即县教育局")
    school = services.create_school(actor=SYSTEM, bureau=bureau, code="now", name="立即中学")
    settings.AUDIT_SEAL_INTERVAL = 0
    for i in range(3):
        services.create_party_branch(actor=SYSTEM, school=school, name=f"第{i}党支部")
        assert not AuditEntry.objects.filter(chain=school.pk, block=None).exists()


@pytest.mark.django_db(transaction=True)
def test_what_waits_for_the_timer_is_sealed_at_exit(settings: Any) -> None:
    """A management command ends right after its last write: the exit hook seals what its timer would."""
    from chuangyou.audit.services import seal_waiting

    bureau = services.create_bureau(actor=SYSTEM, code="x", name="退出县教育局")
    school = services.create_school(actor=SYSTEM, bureau=bureau, code="exit", name="退出中学")
    settings.AUDIT_SEAL_INTERVAL = 60
    services.create_party_branch(actor=SYSTEM, school=school, name="第一党支部")
    assert AuditEntry.objects.filter(chain=school.pk, block=None).count() == 1
    seal_waiting()
    assert not AuditEntry.objects.filter(chain=school.pk, block=None).exists()
    assert verify_chain(school=school).ok
