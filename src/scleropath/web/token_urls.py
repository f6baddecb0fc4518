"""Web pages where a user creates and revokes their own API tokens."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "api_tokens"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.tokens, name="tokens"),
    path("<int:token_id>/revoke/", views.revoke, name="revoke"),
]
