"""Web pages where a user creates and revokes their own API tokens."""

from django.urls import URLPattern, URLResolver

app_name = "api_tokens"

urlpatterns: list[URLPattern | URLResolver] = []
