from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "analytics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("tables/<slug:name>.csv", views.table_csv, name="table_csv"),
    path("figures/<slug:figure>/", views.drill_down, name="drill"),
]
