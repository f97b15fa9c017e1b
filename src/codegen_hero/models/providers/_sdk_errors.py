"""Turn an SDK exception into one of our one-line errors.

The anthropic and openai SDKs share their exception layout, so one mapping serves both.
Their own retries (rate limits, 5xx, overloads, timeouts) have already run when we get here.
"""

from __future__ import annotations

import json
from types import ModuleType

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


def _body_type(exc: BaseException) -> str:
    """`error.type` from the body; an SSE error event arrives inside a 200 response."""
    found = getattr(exc, "type", None)
    if isinstance(found, str):
        return found
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("type"), str):
            return error["type"]
    return ""


def map_sdk_error(exc: BaseException, sdk: ModuleType, spec: ModelSpec) -> HeroError:
    name, where = spec.name, spec.endpoint.url() or spec.provider
    if isinstance(exc, sdk.APITimeoutError):
        return ProviderUnavailable(f"{name}: the request timed out after retries ({where}).")
    if isinstance(exc, sdk.APIConnectionError):
        return ProviderUnavailable(f"{name}: could not reach {where} (connection failed).")
    if isinstance(exc, sdk.APIResponseValidationError | json.JSONDecodeError):
        return ProviderResponseError(f"{name}: the provider sent a response we cannot read.")
    if isinstance(exc, sdk.APIStatusError):
        status, kind = exc.status_code, _body_type(exc)
        if kind == "overloaded_error" or status == 529:
            return ProviderUnavailable(
                f"{name}: the provider is overloaded (still, after retries); try again shortly "
                "or use another model."
            )
        if status == 401 or kind == "authentication_error":
            env = spec.endpoint.key_env or "the key"
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
        return ProviderResponseError(f"{name}: {_short(str(exc))}")
    return ProviderResponseError(f"{name}: unexpected {type(exc).__name__}: {_short(str(exc))}")
