"""The demo's campaigns: 昭陵中学's 2012 plan as the seed wrote it, and this school year's."""


def build_campaigns() -> None:
    """Filled in once the campaign services land (they own the plan's validation and audit)."""
