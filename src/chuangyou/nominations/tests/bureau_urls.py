"""Test URLs: the site, plus the bureau API router at /api/v1/bureaus/ until api.py mounts it.

Once api.py mounts `bureau_router` (`api.add_router("/bureaus", nominations.bureau_router)`), the router
is attached and this module adds nothing: the tests then run against the real mount, at the same paths.
"""

from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from chuangyou import urls as site
from chuangyou.api.api import TokenAuth, service_error
from chuangyou.api.routers.nominations import bureau_router
from chuangyou.lib.errors import ServiceError

urlpatterns = list(site.urlpatterns)
if getattr(bureau_router, "api", None) is None:
    _api = NinjaAPI(urls_namespace="api_bureau_awards_test", auth=[TokenAuth(), django_auth])
    _api.add_exception_handler(ServiceError, service_error)
    _api.add_router("/bureaus", bureau_router)
    urlpatterns.insert(0, path("api/v1/", _api.urls))
