"""Django's Redis cache, made to fail soft.

The cache only ever holds what can be read again from PostgreSQL (the charge
catalogue, detention centres, API clients by token). When Redis is down or
slow, a read is a miss and a write is skipped, with a warning in the log, so
requests go on at the database's speed instead of failing. Timeouts are short
(``OPTIONS`` in settings) so that a dead Redis costs milliseconds, not seconds.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _soft(method: str, fallback):
    """``method`` of the Redis cache, answering ``fallback(args, kwargs)`` when Redis fails."""

    def call(self, *args, **kwargs):
        try:
            return getattr(RedisCache, method)(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("cache %s failed (%s); going on without the cache", method, exc)
            return fallback(args, kwargs)

    call.__name__ = method
    return call


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class SoftRedisCache(RedisCache):
    get = _soft("get", _default)  # a miss
    get_many = _soft("get_many", lambda a, k: {})
    set = _soft("set", lambda a, k: None)
    set_many = _soft("set_many", lambda a, k: [])
    add = _soft("add", lambda a, k: False)  # not added: the caller skips what it guards
    delete = _soft("delete", lambda a, k: False)
    delete_many = _soft("delete_many", lambda a, k: None)
    has_key = _soft("has_key", lambda a, k: False)
    clear = _soft("clear", lambda a, k: None)
