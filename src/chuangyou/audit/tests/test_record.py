def test_snapshot_records_an_empty_file_field_as_none(world) -> None:  # type: ignore[no-untyped-def]
    from chuangyou.audit.services import snapshot
    from chuangyou.campaigns.models import Campaign

    campaign = Campaign(school=world.school, year=2026, title="t", theme="t")
    assert snapshot(campaign, ["safety_plan"]) == {"safety_plan": None}
