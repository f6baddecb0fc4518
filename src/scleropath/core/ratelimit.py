"""A small fixed-window rate limit on Django's cache, for pages anyone may reach without signing in.

Each limit counts hits of one key (an address, an email) within a window of seconds; the window
starts with the first hit. Two hits at the same instant may both read the same count, so a burst can
pass a limit by a hit or two; the limits are for abuse, not for exact quotas. The cache is the database cache by default and Redis when configured,
so every worker process sees the same counts.
"""

from __future__ import annotations

import hashlib
import math
import time

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
    now = time.time()
    # The count is kept with the end of its window, and saved with the time left to it: the cache's
    # own incr() would save with the cache's default timeout on the database cache, so a window
    # longer than that would end early and a shorter one would outlast itself.
    count, ends = cache.get(name) or (0, 0.0)
    if ends <= now:
        count, ends = 0, now + window
    count += 1
    cache.set(name, (count, ends), timeout=max(1, math.ceil(ends - now)))
    return bool(count > limit)
