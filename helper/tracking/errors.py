"""One error type for every tracking provider.

Each provider answers failures in its own dialect (Kuaidi100 ``returnCode``, Kdniao
``Reason`` text, 17TRACK negative codes); the clients translate them into one short code
so the store, the refresh scheduler and the HTTP routes can react without knowing the
provider. Messages are Chinese first, then English. Provider credentials must never reach
an error: clients pass every provider-supplied text through :func:`scrub` first.
"""
from __future__ import annotations

from typing import Iterable

# code -> (zh, en, retryable). "retryable" means "asking again later may work", which the
# refresh scheduler uses; it does NOT mean the HTTP layer retries it (only timeouts/5xx).
CODES: dict[str, tuple[str, str, bool]] = {
    "bad_key": ("密钥无效、已过期或无权限", "API key invalid, expired or not allowed", False),
    "no_quota": ("查询额度已用完", "query quota used up", False),
    "too_frequent": ("查询太频繁，请稍后再试", "too many queries, try again later", True),
    "no_result": ("暂无轨迹信息，请稍后再查", "no tracking information yet", True),
    "bad_signature": ("签名验证失败，请检查密钥", "signature rejected, check the key", False),
    "unsupported_courier": ("该服务商不支持此快递公司", "the provider does not support this courier", False),
    "phone_required": ("需要收件人或寄件人手机号后四位", "the last 4 digits of a phone number are required", False),
    "bad_response": ("服务商返回了无法识别的数据", "unreadable answer from the provider", False),
    "timeout": ("服务商响应超时", "the provider timed out", True),
    "server_error": ("服务商服务器错误或无法连接", "the provider's server failed or is unreachable", True),
    "not_configured": ("未配置该服务商的账号", "no credentials configured for this provider", False),
}


class ProviderError(Exception):
    """A provider call failed. ``code`` is one of :data:`CODES`.

    ``message`` is the bilingual text shown to people; ``detail`` is the provider's own
    wording (already scrubbed of secrets), kept for the event log.
    """

    def __init__(self, provider: str, code: str, message: str | None = None,
                 retryable: bool | None = None, detail: str = ""):
        if code not in CODES:
            raise ValueError(f"unknown provider error code {code!r}")
        zh, en, default_retry = CODES[code]
        self.provider = provider
        self.code = code
        self.zh = zh
        self.en = en
        self.detail = detail
        self.message = message or f"{zh} / {en}" + (f" ({detail})" if detail else "")
        self.retryable = default_retry if retryable is None else retryable
        super().__init__(f"{provider}: {code}: {self.message}")

    def to_json(self) -> dict:
        return {"provider": self.provider, "code": self.code, "retryable": self.retryable,
                "message": {"zh": self.zh, "en": self.en}, "detail": self.detail}

    def __repr__(self) -> str:
        return f"ProviderError({self.provider!r}, {self.code!r}, retryable={self.retryable})"


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Remove every secret (and its upper/lower-case forms) from a provider's text."""
    out = str(text)
    for s in secrets:
        if s and len(s) >= 4:
            for form in {s, s.upper(), s.lower()}:
                out = out.replace(form, "***")
    return out[:300]
