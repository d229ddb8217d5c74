"""Every failure the API reports is JSON: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    """A refusal with a stable machine code and a human message (Chinese first, English after)."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


def bad_request(code: str, message: str, **details) -> ApiError:
    return ApiError(400, code, message, details)


def error_response(status: int, code: str, message: str, details: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    return response


# Messages for the HTTP errors Flask/Werkzeug raise by themselves.
HTTP_MESSAGES = {
    400: ("bad_request", "请求格式错误 / Malformed request"),
    401: ("unauthorized", "缺少或错误的令牌 / Missing or wrong token"),
    403: ("forbidden", "禁止访问 / Forbidden"),
    404: ("not_found", "未找到 / Not found"),
    405: ("method_not_allowed", "不支持的请求方法 / Method not allowed"),
    413: ("payload_too_large", "请求体超过 8 MiB 上限 / Request body over the 8 MiB limit"),
    415: ("unsupported_media_type", "需要 JSON 请求体 / A JSON body is required"),
}
