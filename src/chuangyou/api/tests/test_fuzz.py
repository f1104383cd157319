"""schemathesis over every API operation, as a school admin and as a student (issue 9).

Each operation gets a few generated requests per token, valid and invalid ones, sent in-process through
the WSGI application. Every answer must be something other than a 5xx, and every documented answer must
match the published schema. The run prints what it did (operations, requests, 5xx) for the record.

FUZZ_EXAMPLES raises the number of examples per operation and token (default 4) for a longer run by hand.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from chuangyou.accounts.models import ApiToken
from chuangyou.accounts.services import IssuedToken, create_api_token
from chuangyou.testing import World

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=dict)


def _path_parameters(operation: Any, world: World) -> dict[str, Any]:
    """`{code}` is the persona's school (or the county, on /bureaus/): a random code only finds 404."""
    names = {p.name for p in operation.path_parameters}
    if "code" not in names:
        return {}
    code = world.bureau.code if "/bureaus/" in operation.path else world.school.code
    return {"code": code}


def _fuzz(strategy: Any, examples: int, label: str, persona: str, issued: IssuedToken, tally: Tally) -> Any:
    headers = {"Authorization": f"Bearer {issued.key}"}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        # A generated request may revoke the token it came with; the next one needs it back.
        ApiToken.objects.filter(pk=issued.token.pk).update(revoked_at=None)
        response = case.call(headers=headers)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:
            tally.failures.setdefault(f"{label} as {persona}", []).append(
                f"{response.status_code}: {str(exc)[:600]}\n{case.as_curl_command(headers)}"
            )

    return run


@pytest.mark.django_db(transaction=True)
def test_no_input_gives_a_server_error_or_breaks_the_schema(world: World) -> None:
    from chuangyou.wsgi import application

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # each 4xx would log a line
    examples = int(os.environ.get("FUZZ_EXAMPLES", "4"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    tokens = {name: create_api_token(user=world.persona(name), name="fuzz") for name in ("alice", "xiao")}
    tally = Tally()
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        tally.operations.add(label)
        strategy = st.one_of(
            operation.as_strategy(generation_mode=mode, path_parameters=_path_parameters(operation, world))
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        )
        for persona, issued in tokens.items():
            _fuzz(strategy, examples, label, persona, issued, tally)()

    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    print(
        f"\nschemathesis: {len(tally.operations)} operations, {tally.requests} requests, "
        f"{server_errors} responses 5xx, {len(tally.failures)} failing operations "
        f"in {time.monotonic() - started:.0f}s; statuses {dict(sorted(tally.statuses.items()))}"
    )
    report = "\n\n".join(
        f"{where}\n  " + "\n  ".join(found[:2]) for where, found in sorted(tally.failures.items())
    )
    assert not tally.failures, report
