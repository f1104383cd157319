from django.urls import path
from django.views.generic import TemplateView

app_name = "campaigns"
urlpatterns = [path("", TemplateView.as_view(template_name="404.html"), name="list")]
