"""The shared rate limit counts hits per key within a window, whatever the key's case or spacing."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.utils import timezone

from scleropath.core.ratelimit import hit


def test_hits_past_the_limit_are_refused_until_the_window_ends(db):
    cache.clear()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [hit("t", "a@example.org", limit=2, window=60) for _ in range(3)] == [False, False, True]
        assert hit("t", " A@Example.org", limit=2, window=60)
        assert not hit("t", "b@example.org", limit=2, window=60)
        assert not hit("other", "a@example.org", limit=2, window=60)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert not hit("t", "a@example.org", limit=2, window=60)
