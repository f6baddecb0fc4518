from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [
    path("<str:token>/", views.home, name="home"),
    path("<str:token>/check-in/<int:check_in_id>/", views.check_in, name="check_in"),
    path("<str:token>/satisfaction/", views.satisfaction, name="satisfaction"),
]
