"""Web pages where a user creates and revokes their own API tokens."""

from django.urls import URLPattern, URLResolver, path

from .views import tokens

app_name = "api_tokens"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", tokens.tokens, name="tokens"),
    path("<int:token_id>/revoke/", tokens.revoke, name="revoke"),
    path("calendar/issue/", tokens.issue_calendar, name="issue_calendar"),
    path("calendar/revoke/", tokens.revoke_calendar, name="revoke_calendar"),
]
