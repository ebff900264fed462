"""The Redis cache unreachable: reads miss, writes are dropped, counters start
again, and Redis is left alone for a moment after a failure (config/cache.py).
The whole site with Redis down: tests/integration/test_faults.py."""

from __future__ import annotations

import time

from bench._http import free_port
from config.cache import RedisCache


def test_cache_down_reads_miss_writes_drop_and_backs_off() -> None:
    cache = RedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )
    assert cache.get("k") is None
    assert cache.get("k", 7) == 7
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 1) is False
    assert cache.incr("k", 3) == 3
    assert cache.bump_counters(["k", "j"], 10) is None
    cache.set("k", 1)
    assert cache._down_until > time.monotonic()  # the next calls skip Redis
    started = time.monotonic()
    assert cache.get("k", "default") == "default"
    assert time.monotonic() - started < 0.05
