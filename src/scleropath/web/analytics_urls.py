"""The analytics pages, under /analytics/ with their own URL namespace (``analytics:dashboard``)."""

from django.urls import URLPattern, URLResolver, path

from .views import analytics

app_name = "analytics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", analytics.dashboard, name="dashboard"),
    path("report.pdf", analytics.report_pdf, name="report_pdf"),
    path("tables/<slug:name>.csv", analytics.table_csv, name="table_csv"),
    path("figures/<slug:figure>/", analytics.drill_down, name="drill"),
]
