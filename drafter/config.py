"""The one configuration path of the web app and the command line.

Precedence, lowest first: the defaults below < a TOML file (``--config FILE`` or
``DRAFTER_CONFIG``) < the environment (``DRAFTER_*``) < overrides (command-line flags, tests).
"""

from __future__ import annotations

import os
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_DATABASE = "drafter.sqlite"
ENV_PREFIX = "DRAFTER_"
CONFIG_ENV = "DRAFTER_CONFIG"
DEPRECATED_ENV = {"DRAFTER_DB": "DRAFTER_DATABASE"}


class ConfigError(ValueError):
    """A setting that cannot be read: names the setting, where it came from and the value."""


@dataclass(frozen=True)
class Settings:
    """Every setting of drafter; the field name upper-cased is its Flask config key and,
    prefixed with DRAFTER_, its environment variable."""

    database: str = DEFAULT_DATABASE  # a SQLite path today, a URL later
    timezone: str = DEFAULT_TIMEZONE
    secret_key: str = ""  # empty: a key kept beside the database is made on first start
    session_cookie_secure: bool = False  # true behind HTTPS
    max_content_length: int = 20 * 1024 * 1024  # the largest upload, in bytes
    permanent_session_lifetime: int = 8 * 3600  # seconds

    def flask_config(self) -> dict[str, Any]:
        """Return the settings as Flask config keys, with the fixed session/CSRF options."""
        config = {field.name.upper(): getattr(self, field.name) for field in fields(self)}
        config.update(
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            WTF_CSRF_TIME_LIMIT=None,  # tokens live as long as the session
        )
        return config


_FIELDS = {field.name: field for field in fields(Settings)}
SETTING_KEYS = frozenset(name.upper() for name in _FIELDS)  # the Flask keys Settings owns
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(name: str, value: Any, source: str) -> Any:
    """Return `value` converted to the type of setting `name`; ConfigError if it cannot be."""
    kind = _FIELDS[name].type
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigError(f"{source}: {name} must be true or false, not {value!r}")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise ConfigError(f"{source}: {name} must be a whole number, not {value!r}") from None
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {name} must be text, not {value!r}")
    return value


def _from_file(path: str | os.PathLike) -> dict[str, Any]:
    """Return the settings of the TOML file at `path` (keys as the field names)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values = {}
    for key, value in data.items():
        name = key.lower()
        if name not in _FIELDS:
            raise ConfigError(f"{path}: unknown setting {key!r}")
        values[name] = _parse(name, value, str(path))
    return values


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings found in `env` (DRAFTER_<FIELD>), deprecated names warned about."""
    values = {}
    for old, new in DEPRECATED_ENV.items():
        if env.get(old) and not env.get(new):
            warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)
            values[new.removeprefix(ENV_PREFIX).lower()] = _parse("database", env[old], old)
    for name in _FIELDS:
        variable = ENV_PREFIX + name.upper()
        if variable in env:
            values[name] = _parse(name, env[variable], variable)
    return values


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    file: str | os.PathLike | None = None,
) -> Settings:
    """Return the Settings from defaults < the TOML `file` (or $DRAFTER_CONFIG) < `env`
    (os.environ by default) < `overrides` (keys as field names or Flask config keys; keys
    that are not settings, or whose value is None, are ignored). Raises ConfigError."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    file = file or env.get(CONFIG_ENV)
    if file:
        values.update(_from_file(file))
    values.update(_from_env(env))
    for key, value in (overrides or {}).items():
        name = key.lower()
        if name in _FIELDS and value is not None:
            values[name] = _parse(name, value, "override")
    return Settings(**values)
