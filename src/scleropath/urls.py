from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("p/", include("scleropath.checkins.urls")),
    path("", include("scleropath.web.urls")),
]
