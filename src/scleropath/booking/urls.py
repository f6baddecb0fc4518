from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/", views.concern, name="concern"),
    path("<slug:slug>/time/", views.time, name="time"),
    path("<slug:slug>/questions/", views.questions, name="questions"),
    path("<slug:slug>/details/", views.details, name="details"),
]
