"""A small fixed-window rate limit on Django's cache, for pages anyone may reach without signing in.

Each limit counts hits of one key (an address, an email) within a window of seconds; the window
starts with the first hit. The cache is the database cache by default and Redis when configured,
so every worker process sees the same counts.
"""

from __future__ import annotations

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as the sign-in limit reads it (through TRUSTED_PROXY_COUNT behind a proxy)."""
    return str(get_adapter(request).get_client_ip(request))


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``key`` in ``scope``; True when it is over ``limit`` within ``window`` seconds.

    The key is hashed, so addresses and emails are not kept in the cache in clear."""
    digest = hashlib.sha256(key.strip().casefold().encode()).hexdigest()[:32]
    name = f"ratelimit:{scope}:{digest}"
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # the entry expired between add and incr
        cache.set(name, 1, timeout=window)
        count = 1
    return bool(count > limit)
