"""The private calendar feeds' public addresses."""

from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("<str:secret>.ics", views.calendar_feed, name="feed"),
]
