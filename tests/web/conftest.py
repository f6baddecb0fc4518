"""The web tests share the diary's fixture (a clinic A diary open all day, every day)."""

from tests.diary.conftest import rooms  # noqa: F401
