from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "scleropath.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic data"
