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
    path("todos/count/", org_views.todo_count, name="todo_count"),
    path("inbox/", include("chuangyou.notifications.urls")),
    path("bureau/<slug:code>/", org_views.bureau_home, name="bureau_home"),
    path("school/<slug:code>/people/", include("chuangyou.org.urls")),
    path("school/<slug:code>/people/", include("chuangyou.accounts.school_urls")),
    path("school/<slug:code>/campaigns/", include("chuangyou.campaigns.urls")),
    path("school/<slug:code>/roster/", include("chuangyou.roster.urls")),
    path("school/<slug:code>/audit/", include("chuangyou.oversight.urls")),
    path("school/<slug:code>/activities/", include("chuangyou.activities.urls")),
    path("school/<slug:code>/practice/", include("chuangyou.practice.urls")),
    path("school/<slug:code>/volunteering/", include("chuangyou.volunteering.urls")),
    path("school/<slug:code>/books/", include("chuangyou.books.urls")),
    path("school/<slug:code>/projects/", include("chuangyou.projects.urls")),
    path("school/<slug:code>/commitments/", include("chuangyou.commitments.urls")),
    path("school/<slug:code>/records/", include("chuangyou.records.urls")),
    path("school/<slug:code>/evaluations/", include("chuangyou.evaluations.urls")),
    path("school/<slug:code>/nominations/", include("chuangyou.nominations.urls")),
    path("school/<slug:code>/honors/", include("chuangyou.honors.urls")),
    path("school/<slug:code>/reports/", include("chuangyou.reports.urls")),
    path("school/<slug:code>/exhibition/", include("chuangyou.exhibition.urls")),
    path("bureau/<slug:code>/reports/", include("chuangyou.reports.bureau_urls")),
    path("bureau/<slug:code>/accounts/", include("chuangyou.accounts.bureau_urls")),
    path("bureau/<slug:code>/holidays/", include("chuangyou.org.bureau_urls")),
    path("bureau/<slug:code>/nominations/", include("chuangyou.nominations.bureau_urls")),
    # Issuing a bureau notice's honors sits beside its nomination pages, at the same addresses.
    path("bureau/<slug:code>/nominations/", include("chuangyou.honors.bureau_urls")),
    path("s/<slug:code>/activities/", include("chuangyou.activities.public_urls")),
    path("s/<slug:code>/commitments/", include("chuangyou.commitments.public_urls")),
    path("s/<slug:code>/evaluations/", include("chuangyou.evaluations.public_urls")),
    path("s/<slug:code>/nominations/", include("chuangyou.nominations.public_urls")),
    path("s/<slug:code>/honors/", include("chuangyou.honors.public_urls")),
    path("s/<slug:code>/exhibition/", include("chuangyou.exhibition.public_urls")),
    path("s/", include("chuangyou.public.urls")),
    path("api/v1/", api.urls),
    path("healthz", org_views.healthz, name="healthz"),
]

# A lost database connection outside a view answers 503, not 500 (chuangyou.web.server_error).
handler500 = "chuangyou.web.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
