"""Errors a learner can read in one line, each saying what to do next."""

from __future__ import annotations


class HeroError(Exception):
    """Base for every error we raise on purpose; its message is one actionable line."""

    def __str__(self) -> str:
        return " ".join(" ".join(str(arg) for arg in self.args).split())


class UnknownModelError(HeroError):
    pass


class MissingKeyError(HeroError):
    def __init__(self, model: str, env_var: str) -> None:
        super().__init__(
            f"{model} needs an API key: set {env_var}, or use a local model instead, "
            "which needs neither key nor network (`hero models` lists them)."
        )
        self.env_var = env_var


class RetiredModelError(HeroError):
    def __init__(self, model: str) -> None:
        super().__init__(
            f"{model} was not found by its provider (retired or misspelled?): "
            "run `hero models check` to see which registry ids still exist."
        )


class AuthenticationFailed(HeroError):
    pass


class ProviderUnavailable(HeroError):
    """Rate limits, overloads, timeouts and dropped connections that survived the retries."""


class ProviderResponseError(HeroError):
    """The provider answered with something we could not read."""


class ModelFileError(HeroError):
    """A local model file is missing, incomplete or fails its sha256 check."""


class BudgetExceeded(HeroError):
    pass


class CacheMiss(HeroError):
    pass


class CapabilityError(HeroError):
    """The model cannot do what was asked: a raw completion, a fill in the middle."""
