"""创优's WSGI app plus one bare view doing a single INSERT (into bench_bare, made by the seed): the
baseline for bench_ballots.py.

The bare view goes through the same middleware as the ballot endpoint, so the difference between the
two rows is what casting a ballot costs beyond one row written by Django.
"""

from __future__ import annotations

import json
import uuid

from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

# Every bench client shares 127.0.0.1: lift the per-address limit of the code ballot (the check
# itself still runs on every request, so its cost is measured).
settings.EVALUATION_CODE_REQUESTS_PER_MINUTE = 10**9

from chuangyou import urls  # noqa: E402 - after setup, to add the baseline view


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (id, body) VALUES (%s, %s)", [str(uuid.uuid4()), json.dumps(body)]
        )
    return JsonResponse({"ok": True}, status=201)


urls.urlpatterns.insert(0, path("bench/bare-insert/", bare_insert))
