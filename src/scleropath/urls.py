from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from scleropath.accounts.views import admin_sign_in
from scleropath.api.api import api

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links; send them to the SVG icon.
    path(
        "favicon.ico", RedirectView.as_view(url=lazy(static, str)("scleropath/favicon.svg"), permanent=True)
    ),
    path("admin/login/", admin_sign_in),  # before the admin's own: one sign-in page for everyone
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("p/", include("scleropath.checkins.urls")),
    path("book/", include("scleropath.booking.urls")),
    path("calendar/", include("scleropath.diary.urls")),
    path("api/v1/", api.urls),
    path("api-tokens/", include("scleropath.web.token_urls")),
    path("analytics/", include("scleropath.web.analytics_urls")),
    path("fhir/", include("scleropath.fhir.urls")),
    path("", include("scleropath.web.urls")),
]
