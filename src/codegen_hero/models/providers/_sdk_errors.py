"""Turn an SDK exception into one of our one-line errors.

The anthropic and openai SDKs share their exception layout, so one mapping serves both.
Their own retries (rate limits, 5xx, overloads, timeouts) have already run when we get here.
"""

from __future__ import annotations

import json
from types import ModuleType

import httpx2

from codegen_hero.models.errors import (
    AuthenticationFailed,
    HeroError,
    ProviderResponseError,
    ProviderUnavailable,
    RetiredModelError,
)
from codegen_hero.models.registry import ModelSpec


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _body_field(exc: BaseException, field: str) -> str:
    """`error.<field>` from the body; an SSE error event arrives inside a 200 response."""
    found = getattr(exc, field, None)
    if isinstance(found, str):
        return found
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get(field), str):
            return error[field]
    return ""


def _body_type(exc: BaseException) -> str:
    return _body_field(exc, "type")


def _is_overload(exc: BaseException) -> bool:
    return _body_type(exc) == "overloaded_error" or _body_field(exc, "code") == "overloaded"


def map_sdk_error(exc: BaseException, sdk: ModuleType, spec: ModelSpec) -> HeroError:
    name, where = spec.name, spec.endpoint.url() or spec.provider
    if isinstance(exc, httpx2.TransportError):  # a stream cut mid-way escapes some SDKs unwrapped
        return ProviderUnavailable(f"{name}: the connection to {where} dropped mid-answer.")
    if isinstance(exc, sdk.APIError) and _is_overload(exc):
        # An overload can arrive inside a 200 stream, where no status code says so.
        return ProviderUnavailable(
            f"{name}: the provider is overloaded (still, after retries); try again shortly "
            "or use another model."
        )
    if isinstance(exc, sdk.APITimeoutError):
        return ProviderUnavailable(f"{name}: the request timed out after retries ({where}).")
    if isinstance(exc, sdk.APIConnectionError):
        return ProviderUnavailable(f"{name}: could not reach {where} (connection failed).")
    if isinstance(exc, sdk.APIResponseValidationError | json.JSONDecodeError):
        return ProviderResponseError(f"{name}: the provider sent a response we cannot read.")
    if isinstance(exc, sdk.APIStatusError):
        status, kind = exc.status_code, _body_type(exc)
        if status == 529:
            return ProviderUnavailable(
                f"{name}: the provider is overloaded (still, after retries); try again shortly "
                "or use another model."
            )
        if status == 401 or kind == "authentication_error":
            env = spec.endpoint.key_env or "the key"
            if spec.endpoint.key_optional and not spec.endpoint.key():
                return AuthenticationFailed(
                    f"{name}: {where} wants a key (401): set {env} to the key you were given."
                )
            return AuthenticationFailed(f"{name}: the provider rejected {env} (401); check it.")
        if status == 404 or kind == "not_found_error":
            return RetiredModelError(name)
        if status == 429 or kind == "rate_limit_error":
            return ProviderUnavailable(f"{name}: rate limited (429) after retries; wait a minute.")
        if status >= 500 or kind in ("api_error", "server_error"):
            return ProviderUnavailable(f"{name}: the provider failed ({status}) after retries.")
        message = getattr(exc, "api_message", None) or getattr(exc, "message", "") or str(exc)
        return ProviderResponseError(
            f"{name}: the provider refused the request ({status}): {_short(message)}"
        )
    if isinstance(exc, sdk.APIError):
        if _body_type(exc) in ("api_error", "server_error"):
            return ProviderUnavailable(f"{name}: the provider failed mid-answer; try again.")
        return ProviderResponseError(f"{name}: {_short(str(exc))}")
    return ProviderResponseError(f"{name}: unexpected {type(exc).__name__}: {_short(str(exc))}")
