from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from chuangyou.api.api import api
from chuangyou.org import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("chuangyou.accounts.urls")),
    path("me/", org_views.my_record, name="my_record"),
    path("bureau/<slug:code>/", org_views.bureau_home, name="bureau_home"),
    path("school/<slug:code>/people/", include("chuangyou.org.urls")),
    path("school/<slug:code>/campaigns/", include("chuangyou.campaigns.urls")),
    path("school/<slug:code>/roster/", include("chuangyou.roster.urls")),
    path("school/<slug:code>/audit/", include("chuangyou.audit.urls")),
    path("s/", include("chuangyou.public.urls")),
    path("api/v1/", api.urls),
    path("healthz", org_views.healthz, name="healthz"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
