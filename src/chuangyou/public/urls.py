from django.urls import path
from django.views.generic import TemplateView

app_name = "public"
urlpatterns = [path("<slug:code>/", TemplateView.as_view(template_name="404.html"), name="school")]
