from django.urls import path

from kaoping.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("policies/<slug:policy_id>/", views.policy_detail, name="policy"),
    path("healthz", views.healthz, name="healthz"),
]
