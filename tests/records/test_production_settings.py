"""Outside development the app runs HTTPS only and refuses to start without a SECRET_KEY (settings
read in a fresh interpreter with a production-like environment: no DEBUG, no SCLEROPATH_DEV, not
under pytest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

NAMES = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
]
NAMES += ["CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "DEVELOPMENT"]
DEVELOPMENT_ONLY = {
    "DEBUG",
    "SCLEROPATH_DEV",
    "PYTEST_VERSION",
    "SECRET_KEY",
    "SECURE_COOKIES",
    "DATABASE_URL",
}
KEY = "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def read_settings(**env: str) -> subprocess.CompletedProcess[str]:
    production = {
        k: v for k, v in os.environ.items() if k not in DEVELOPMENT_ONLY and not k.startswith("SECURE_")
    }
    code = (
        "import json; from scleropath import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {NAMES!r}}}))"
    )
    return subprocess.run([sys.executable, "-c", code], env=production | env, capture_output=True, text=True)


def test_it_refuses_to_start_without_a_secret_key():
    started = read_settings()
    assert started.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in started.stderr


def test_it_refuses_to_start_with_an_empty_secret_key():
    started = read_settings(SECRET_KEY="")
    assert "ImproperlyConfigured: SECRET_KEY is not set" in started.stderr


def test_production_sends_hsts_for_a_year_with_subdomains_and_redirects_to_https():
    settings = json.loads(read_settings(SECRET_KEY=KEY).stdout)
    assert settings["DEVELOPMENT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] is None


def test_the_environment_sets_hsts_the_https_redirect_and_the_proxy_header():
    settings = json.loads(
        read_settings(
            SECRET_KEY=KEY,
            SECURE_HSTS_SECONDS="3600",
            SECURE_SSL_REDIRECT="false",
            SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        ).stdout
    )
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_development_starts_without_a_key_and_without_https():
    settings = json.loads(read_settings(SCLEROPATH_DEV="1").stdout)
    assert settings["DEVELOPMENT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
