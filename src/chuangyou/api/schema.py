"""The committed OpenAPI snapshot: `make openapi` rewrites it, a test checks it is current."""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi.json")


def current_schema_text() -> str:
    from chuangyou.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_snapshot() -> Path:
    SNAPSHOT.write_text(current_schema_text(), encoding="utf-8")
    return SNAPSHOT
