"""Tracking providers (Kuaidi100, Kdniao, 17TRACK), one trace model, and trace checks.

Usage::

    from helper.tracking import TrackingConfig, TrackingService, trace_checks
    service = TrackingService(TrackingConfig.from_env(settings))   # keep one per process
    trace = service.query("73012345678901", "zto", phone_tail="0000")
    checks = trace_checks(trace, buyer=order["buyer"], uploaded_at=..., now=...)
"""
from .cache import MemoryCache
from .checks import trace_checks
from .config import TrackingConfig
from .errors import ProviderError
from .model import STATUSES, Trace, TraceEvent
from .service import TrackingService

__all__ = ["TrackingConfig", "TrackingService", "Trace", "TraceEvent", "trace_checks",
           "ProviderError", "MemoryCache", "STATUSES"]
