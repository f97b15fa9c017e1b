"""The one place model names are resolved: `registry.toml` plus a user's own additions.

Names are always ``provider/model``. A name under a known provider that the registry does
not list still works (a brand-new hosted model, say), but its price is unknown.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from codegen_hero import settings
from codegen_hero.models.errors import UnknownModelError


@dataclass(frozen=True)
class Price:
    """USD per million tokens, with the date it was read off the provider's page."""

    input: float
    output: float
    as_of: str
    cache_read: float = 0.1
    cache_write: float = 1.25
    note: str = ""


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str
    key_env: str = ""
    base_url: str = ""
    base_url_env: str = ""

    def key(self) -> str | None:
        """The API key from the environment: read at call time, never stored anywhere."""
        if not self.key_env:
            return None
        return os.environ.get(self.key_env) or None

    @property
    def needs_key(self) -> bool:
        return bool(self.key_env)

    def url(self) -> str | None:
        if self.base_url_env and os.environ.get(self.base_url_env):
            return os.environ[self.base_url_env]
        return self.base_url or None


@dataclass(frozen=True)
class FilePart:
    package: str
    version: str
    member: str


@dataclass(frozen=True)
class FimTokens:
    """The tokens a model was trained with for fill-in-the-middle, and where it stops."""

    prefix: str
    suffix: str
    middle: str
    stop: tuple[str, ...] = ()

    def prompt(self, before: str, after: str) -> str:
        """The raw prompt an editor sends: code before and after the cursor, then "middle"."""
        clean = [before, after]
        for token in (self.prefix, self.suffix, self.middle, *self.stop):
            clean = [text.replace(token, "") for text in clean]
        return f"{self.prefix}{clean[0]}{self.suffix}{clean[1]}{self.middle}"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    endpoint: Endpoint
    display: str = ""
    price: Price | None = None
    rejects_sampling: bool = False
    chat_format: str | None = None
    context: int = 4096
    file: str | None = None
    path: str | None = None
    size: int | None = None
    sha256: str | None = None
    parts: tuple[FilePart, ...] = ()
    license: str = ""
    optional: bool = False
    fim: FimTokens | None = None
    registered: bool = True
    tokenizer: str | None = None  # a local/… model with the same vocabulary, to count tokens
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def provider(self) -> str:
        return self.endpoint.name

    @property
    def model_id(self) -> str:
        """The id the provider knows the model by."""
        return self.name.split("/", 1)[1]


def split_name(name: str) -> tuple[str, str]:
    provider, sep, model = name.partition("/")
    if not sep or not provider or not model:
        raise UnknownModelError(
            f"model names look like 'provider/model' (see `hero models`), got {name!r}"
        )
    return provider, model


def _parts(raw: dict[str, Any]) -> tuple[FilePart, ...]:
    if "parts" in raw:
        return tuple(FilePart(**p) for p in raw["parts"])
    if "parts_from" in raw:
        spec = raw["parts_from"]
        prefix, version, count = spec["package_prefix"], spec["version"], spec["count"]
        return tuple(
            FilePart(
                package=f"{prefix}{i}",
                version=version,
                member=f"{prefix.replace('-', '_')}{i}/data/part{i:02d}.bin",
            )
            for i in range(1, count + 1)
        )
    return ()


class Registry:
    """Models, endpoints and roles, from the packaged file and the user's file."""

    def __init__(self, data: dict[str, Any], user_data: dict[str, Any] | None = None) -> None:
        self.roles: dict[str, Any] = dict(data.get("roles", {}))
        self.endpoints: dict[str, Endpoint] = {
            name: Endpoint(name=name, **raw) for name, raw in data.get("providers", {}).items()
        }
        self.models: dict[str, ModelSpec] = {}
        for source in (data, user_data or {}):
            for name, raw in source.get("models", {}).items():
                self.models[name] = self._spec(name, dict(raw))

    def _spec(self, name: str, raw: dict[str, Any]) -> ModelSpec:
        provider, _ = split_name(name)
        if provider not in self.endpoints:
            raise UnknownModelError(
                f"registry entry {name!r} names an unknown provider {provider!r}"
            )
        price = raw.pop("price", None)
        fim = raw.pop("fim", None)
        parts = _parts(raw)
        raw.pop("parts", None)
        raw.pop("parts_from", None)
        known = set(ModelSpec.__dataclass_fields__) - {"name", "endpoint", "price", "parts", "fim"}
        fields = {k: v for k, v in raw.items() if k in known}
        extra = {k: v for k, v in raw.items() if k not in known}
        return ModelSpec(
            name=name,
            endpoint=self.endpoints[provider],
            price=Price(**price) if price else None,
            fim=FimTokens(**{**fim, "stop": tuple(fim.get("stop", ()))}) if fim else None,
            parts=parts,
            extra=extra,
            **fields,
        )

    def get(self, name: str) -> ModelSpec:
        if name in self.models:
            return self.models[name]
        provider, _ = split_name(name)
        endpoint = self.endpoints.get(provider)
        if endpoint is None:
            known = ", ".join(sorted(self.endpoints))
            raise UnknownModelError(f"unknown provider {provider!r} in {name!r}; known: {known}")
        if endpoint.kind == "local":
            raise UnknownModelError(
                f"{name} is not a registered local model: see `hero models`, or register a GGUF "
                f"file of your own with `hero models add {name} --gguf PATH`."
            )
        return ModelSpec(
            name=name, endpoint=endpoint, registered=False, tokenizer=self._served_as(name)
        )

    def _served_as(self, name: str) -> str | None:
        """`hero serve -m local/X` answers as room/X: the local file can count its tokens."""
        provider, model = split_name(name)
        local = f"local/{model}"
        return local if provider == "room" and local in self.models else None

    @property
    def default(self) -> str:
        return str(self.roles["default"])

    def role(self, role: str) -> list[str]:
        value = self.roles.get(role, [])
        return [value] if isinstance(value, str) else list(value)

    @property
    def autocomplete(self) -> str:
        """The model behind ghost text: fast, local, and trained for fill-in-the-middle."""
        return str(self.roles.get("autocomplete", self.default))

    def fim_models(self) -> list[str]:
        """Every registered model that can fill in the middle (the registry gives its tokens)."""
        return [name for name, spec in self.models.items() if spec.fim is not None]

    def lab_models(self) -> list[str]:
        """What a lab compares: the offline models, plus frontier models that can answer.

        A frontier model answers when its key is set, or in replay mode, where its answers
        come from a recorded cache (a workshop's shared file) and no key is needed.
        """
        replaying = settings.cache_mode() == "replay"
        chosen = self.role("offline")
        chosen += [n for n in self.role("frontier") if replaying or self.get(n).endpoint.key()]
        return chosen


def _read_user_registry(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


@cache
def _packaged() -> dict[str, Any]:
    text = resources.files("codegen_hero.models").joinpath("registry.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_registry() -> Registry:
    """The packaged registry merged with the user's; cheap enough to call per request."""
    return Registry(_packaged(), _read_user_registry(settings.user_registry_path()))


def add_user_model(name: str, gguf: Path, chat_format: str = "chatml", context: int = 4096) -> Path:
    """Register a GGUF file of the user's own as ``local/<name>`` in their registry file."""
    provider, _ = split_name(name)
    if provider != "local":
        raise UnknownModelError("only local/… models can be added from a GGUF file")
    gguf = gguf.expanduser().resolve()
    if not gguf.is_file():
        raise UnknownModelError(f"no GGUF file at {gguf}")
    path = settings.user_registry_path()
    data = _read_user_registry(path)
    data.setdefault("models", {})[name] = {
        "display": f"Your own GGUF: {gguf.name}",
        "path": str(gguf),
        "chat_format": chat_format,
        "context": context,
        "price": {"input": 0.0, "output": 0.0, "as_of": "n/a", "note": "runs on your own CPU"},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_dump_models(data["models"]), encoding="utf-8")
    return path


def _dump_models(models: dict[str, dict[str, Any]]) -> str:
    """A tiny TOML writer for the user's file (flat values and one inline price table)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["# Models you registered with `hero models add`.", ""]
    for name, raw in models.items():
        lines.append(f'[models."{name}"]')
        lines += [f"{k} = {value(v)}" for k, v in raw.items()]
        lines.append("")
    return "\n".join(lines)
