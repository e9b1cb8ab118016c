import uuid

import pytest


@pytest.fixture
def throttle_rates(monkeypatch):
    """Set API rate limits for one test, with a throttle history of that test only (CI's cache is
    Redis, shared by the whole run)."""
    from django.core.cache.backends.locmem import LocMemCache
    from rest_framework.throttling import SimpleRateThrottle

    fresh = LocMemCache(f"throttle-test-{uuid.uuid4()}", {})  # same name, same storage
    monkeypatch.setattr(SimpleRateThrottle, "cache", fresh)

    def set_rates(**rates: str) -> None:
        merged = {**SimpleRateThrottle.THROTTLE_RATES, **rates}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", merged)

    return set_rates
