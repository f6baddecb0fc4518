from django.contrib import admin
from django.urls import include, path

from scleropath.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("p/", include("scleropath.checkins.urls")),
    path("api/v1/", api.urls),
    path("api-tokens/", include("scleropath.api.web_urls")),
    path("analytics/", include("scleropath.analytics.urls")),
    path("fhir/", include("scleropath.fhir.urls")),
    path("", include("scleropath.web.urls")),
]
