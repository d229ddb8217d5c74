"""Retries, timeouts, cache, rate limit, daily quota and provider fall-over, counted at the fakes."""
import pytest

from helper.tracking import ProviderError, TrackingService
from helper.tracking.cache import MemoryCache
from helper.tracking.limits import DailyQuota, TokenBucket
from tests.tracking.conftest import FakeClock, config_for, make_service
from tests.tracking.samples import K100_ZTO_IN_TRANSIT, KDN_YTO_OFD, YTO_NUMBER


def test_burst_of_5xx_is_retried_with_exponential_backoff(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    k100.script("http:502", "http:503")
    trace = make_service(clock, k100, retries=2, backoff=0.5).query(YTO_NUMBER, "yto")
    assert trace.status == "in_transit" and k100.count() == 3
    assert [s for s in clock.sleeps if s >= 0.5] == [0.5, 1.0]


def test_5xx_beyond_the_retries_is_server_error(kdn, clock):
    kdn.always("http:500")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, kdn=kdn, retries=2).query(YTO_NUMBER, "yto")
    assert ei.value.code == "server_error" and ei.value.retryable and kdn.count() == 3


@pytest.mark.parametrize("status,code", [(400, "bad_response"), (404, "bad_response"), (401, "bad_key"),
                                         (403, "bad_key"), (429, "too_frequent")])
def test_4xx_is_not_retried(t17, clock, status, code):
    t17.always(f"http:{status}")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, t17=t17, retries=3).query("LP00123456789012", None)
    assert ei.value.code == code and t17.count() == 1


def test_business_errors_are_not_retried(k100, clock):
    k100.always("too_frequent")
    with pytest.raises(ProviderError):
        make_service(clock, k100, retries=3).query(YTO_NUMBER, "yto")
    assert k100.count() == 1


def test_slow_answer_times_out_then_retry_succeeds(kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    kdn.script("slow:0.6")
    trace = make_service(clock, kdn=kdn, timeout=(1.0, 0.2), retries=1).query(YTO_NUMBER, "yto")
    assert trace.status == "in_transit" and kdn.count() == 2


def test_timeouts_beyond_the_retries_raise_timeout(k100, clock):
    k100.always("slow:0.5")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, k100, timeout=(1.0, 0.15), retries=1).query(YTO_NUMBER, "yto")
    assert ei.value.code == "timeout" and ei.value.retryable and k100.count() == 2


def test_unreachable_provider_is_server_error_without_key(clock):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()   # nothing listens there now
    cfg = config_for(kuaidi100_url=f"http://127.0.0.1:{port}", kuaidi100_customer="C", kuaidi100_key="KEY-SECRET-1")
    with pytest.raises(ProviderError) as ei:
        TrackingService(cfg, clock=clock, sleep=clock.sleep).query(YTO_NUMBER, "yto")
    assert ei.value.code == "server_error" and "KEY-SECRET-1" not in str(ei.value)


def test_cache_serves_the_same_number_for_30_minutes(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    service = make_service(clock, k100)
    first = service.query(YTO_NUMBER, "yto")
    clock.advance(29 * 60)
    again = service.query(YTO_NUMBER, "yto")
    assert k100.count() == 1 and again.to_json() == first.to_json()
    clock.advance(2 * 60)   # 31 minutes after the first call
    service.query(YTO_NUMBER, "yto")
    assert k100.count() == 2


def test_no_result_is_cached_too(k100, clock):
    service = make_service(clock, k100)
    service.query(YTO_NUMBER, "yto")
    service.query(YTO_NUMBER, "yto")
    assert k100.count() == 1


def test_errors_are_not_cached(k100, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    k100.script("too_frequent")
    service = make_service(clock, k100)
    with pytest.raises(ProviderError):
        service.query(YTO_NUMBER, "yto")
    assert service.query(YTO_NUMBER, "yto").status == "in_transit" and k100.count() == 2


def test_custom_cache_object_is_used(k100, clock):
    class DictCache:
        def __init__(self):
            self.data, self.ttls = {}, []

        def get(self, key):
            return self.data.get(key)

        def set(self, key, value, ttl_s):
            self.data[key] = value
            self.ttls.append(ttl_s)

    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    cache = DictCache()
    make_service(clock, k100, cache=cache).query(YTO_NUMBER, "yto")
    assert cache.ttls == [1800] and list(cache.data) == [f"trace:kuaidi100:yto:{YTO_NUMBER}"]
    make_service(clock, k100, cache=cache).query(YTO_NUMBER, "yto")   # a new service, same cache
    assert k100.count() == 1


def test_rate_limit_spaces_calls_three_a_second(k100, clock):
    for i in range(6):
        k100.add_trace(f"YT000000000000{i}", "yuantong", K100_ZTO_IN_TRANSIT)
    service = make_service(clock, k100)
    start = clock()
    for i in range(6):
        service.query(f"YT000000000000{i}", "yto")
    assert k100.count() == 6
    # burst of 3, then one token every 1/3 s: the last 3 calls waited 1 s in all
    assert clock() - start == pytest.approx(1.0)
    assert service.limiters["kuaidi100"].waited == pytest.approx(1.0)


def test_rate_limit_refuses_a_wait_longer_than_max_wait():
    clock = FakeClock()
    bucket = TokenBucket("17track", rate=0.01, burst=1, clock=clock, sleep=clock.sleep, max_wait=5)
    bucket.acquire()
    with pytest.raises(ProviderError) as ei:
        bucket.acquire()
    assert ei.value.code == "too_frequent" and clock.sleeps == []


def test_kdniao_daily_quota_refuses_locally_before_calling(kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    service = make_service(clock, kdn=kdn, overrides={"kdniao_daily_quota": 3}, ttl_s=0)
    for _ in range(3):
        service.query(YTO_NUMBER, "yto")
    with pytest.raises(ProviderError) as ei:
        service.query(YTO_NUMBER, "yto")
    assert ei.value.code == "no_quota" and kdn.count() == 3
    assert service.daily["kdniao"].remaining() == 0


def test_kdniao_default_quota_is_500_and_resets_at_beijing_midnight():
    clock = FakeClock("2026-11-25T23:59:00+08:00")
    q = DailyQuota("kdniao", 500, clock=clock)
    for _ in range(500):
        q.take()
    with pytest.raises(ProviderError):
        q.take()
    clock.advance(120)   # 00:01 Beijing time
    q.take()
    assert q.remaining() == 499
    assert TrackingService(config_for()).quotas["kdniao"] == 500


def test_retries_count_against_the_quota(kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    kdn.script("http:503")
    service = make_service(clock, kdn=kdn, overrides={"kdniao_daily_quota": 10})
    service.query(YTO_NUMBER, "yto")
    assert kdn.count() == 2 and service.daily["kdniao"].remaining() == 8


def test_first_configured_provider_with_a_code_is_used(k100, kdn, t17, clock):
    k100.add_trace(YTO_NUMBER, "yuantong", K100_ZTO_IN_TRANSIT)
    trace = make_service(clock, k100, kdn, t17).query(YTO_NUMBER, "yto")
    assert trace.provider == "kuaidi100" and kdn.count() == 0 and t17.count() == 0


def test_falls_over_to_the_next_provider(k100, kdn, clock):
    k100.always("no_quota")
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    trace = make_service(clock, k100, kdn).query(YTO_NUMBER, "yto")
    assert trace.provider == "kdniao" and k100.count() == 1 and kdn.count() == 1


def test_all_providers_failing_raises_the_first_error(k100, kdn, clock):
    k100.always("bad_signature")
    kdn.always("too_frequent")
    with pytest.raises(ProviderError) as ei:
        make_service(clock, k100, kdn).query(YTO_NUMBER, "yto")
    assert (ei.value.provider, ei.value.code) == ("kuaidi100", "bad_signature")


def test_explicit_provider_is_the_only_one_asked(k100, kdn, clock):
    kdn.add_trace(YTO_NUMBER, "YTO", KDN_YTO_OFD, state="2")
    trace = make_service(clock, k100, kdn).query(YTO_NUMBER, "yto", provider="kdniao")
    assert trace.provider == "kdniao" and k100.count() == 0


def test_unconfigured_or_unsupported(k100, clock):
    service = make_service(clock, k100)
    with pytest.raises(ProviderError) as ei:
        service.query(YTO_NUMBER, "yto", provider="kdniao")
    assert ei.value.code == "not_configured"
    with pytest.raises(ProviderError) as ei:
        service.query("1Z999AA10123456784", "ups")
    assert ei.value.code == "unsupported_courier" and k100.count() == 0
    with pytest.raises(ProviderError) as ei:
        TrackingService(config_for()).query(YTO_NUMBER, "yto")
    assert ei.value.code == "not_configured"


def test_memory_cache_expires():
    clock = FakeClock()
    cache = MemoryCache(clock)
    cache.set("k", {"a": 1}, 60)
    assert cache.get("k") == {"a": 1}
    clock.advance(60)
    assert cache.get("k") is None
