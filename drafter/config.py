"""Settings: one path for the web app and the command line.

Precedence, lowest first: the defaults below < a TOML file (``--config FILE`` or
``DRAFTER_CONFIG``) < the environment (``DRAFTER_*``) < command-line flags and the overrides
a caller passes (tests, ``drafter serve``).  The result is a plain mapping of Flask-style
upper-case names, so `create_app` can load it into ``app.config`` as it is.

One database setting: ``DRAFTER_DATABASE`` (a SQLite file path or a PostgreSQL URL).  ``DRAFTER_DB``,
its old name, still works and says that it is deprecated.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import N_, InvalidInput

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_DATABASE = "drafter.sqlite"

#: Every setting with its default.  Each can be set as ``DRAFTER_<NAME>`` in the environment
#: or as a lower- or upper-case key of the TOML file.
DEFAULTS: dict[str, Any] = {
    "DATABASE": DEFAULT_DATABASE,
    "TIMEZONE": DEFAULT_TIMEZONE,
    "SECRET_KEY": None,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # idle: seconds since the last request
    "SESSION_ABSOLUTE_LIFETIME": 24 * 3600,  # seconds since signing in, however active
    "WTF_CSRF_TIME_LIMIT": None,
    # How many reverse proxies (nginx…) stand before the app and set X-Forwarded-For; 0
    # trusts no such header.  Sign-in throttling needs the real client address.
    "TRUSTED_PROXIES": 0,
    # Comments one unit may create in one consultation (withdrawn ones count).
    "COMMENT_QUOTA": 1000,
    # E-mail (see `smtp_target`): the server, the sender's address, the address of the site
    # for links in messages (empty: the address a page was asked at; the CLI needs it set),
    # and whether organizers get a daily digest of new submissions and comments.
    "SMTP_URL": "",
    "MAIL_FROM": "drafter@localhost",
    "BASE_URL": "",
    # The consulting body, as its letters name it ("Ban Tổ chức Trung ương"): the addressee
    # of units' response letters and the issuer of the request for comments.
    "CONSULTING_BODY": "",
    "MAIL_DIGEST": False,
    # Seconds between two passes of the background loop (the outbox, the calendar).
    "MAIL_INTERVAL": 30,
    # Submitted comments past which the long exports (consolidated, per unit, summary as
    # Word) are prepared in the background, with a progress bar, rather than made at once.
    "EXPORT_SYNC_LIMIT": 1000,
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(InvalidInput):
    """A setting has a value drafter cannot use."""


class UnsupportedDatabase(ConfigError):
    """The database setting names a kind of database drafter cannot open (yet)."""


#: ``scheme://…``: a database URL rather than a file path (``sqlite:///path`` is a path).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def check_database(location: str) -> str:
    """Return `location` if drafter can open it: a SQLite file path, ``sqlite:///path``,
    ``:memory:`` or a PostgreSQL URL (``postgresql://…``, ``postgres://…``).  Any other
    ``scheme://`` URL is refused with UnsupportedDatabase, before any file or folder is made
    from it."""
    if _URL.match(location) and not location.startswith(
        ("sqlite:///", "postgresql://", "postgres://")
    ):
        raise UnsupportedDatabase(
            N_(
                "The database “%(value)s” cannot be used: give a SQLite file path (for example "
                "drafter.sqlite) or a postgresql:// address, not a %(scheme)s:// address."
            ),
            value=hide_password(location),
            scheme=location.split("://", 1)[0],
        )
    return location


def is_postgres(location: str) -> bool:
    """Whether the database setting `location` names a PostgreSQL database."""
    return location.startswith(("postgresql://", "postgres://"))


def hide_password(url: str) -> str:
    """Return `url` with the password of its user part, if any, shown as ***."""
    parts = urlsplit(url)
    try:
        password = parts.password
    except ValueError:
        return url
    return url.replace(f":{password}@", ":***@") if password else url


def _coerce(name: str, raw: Any, default: Any) -> Any:
    """Return `raw` (text from the environment, or a TOML value) as the type of `default`."""
    if not isinstance(raw, str):
        # From the TOML file: the value must already be of the setting's type.
        expected = type(default) if default is not None else str
        if default is not None and (
            not isinstance(raw, expected) or (isinstance(raw, bool) and expected is not bool)
        ):
            raise ConfigError(
                N_("The setting %(name)s must be a %(kind)s, not “%(value)s”."),
                name=name,
                kind={bool: "true or false", int: "whole number"}.get(expected, "text"),
                value=str(raw),
            )
        return raw
    if isinstance(default, bool):
        if raw.strip().lower() in _TRUE:
            return True
        if raw.strip().lower() in _FALSE:
            return False
        raise ConfigError(
            N_("The setting %(name)s must be true or false, not “%(value)s”."), name=name, value=raw
        )
    if isinstance(default, int):
        try:
            return int(raw.replace("_", ""))
        except ValueError:
            raise ConfigError(
                N_("The setting %(name)s must be a whole number, not “%(value)s”."),
                name=name,
                value=raw,
            ) from None
    return raw


def read_file(path: str | Path) -> dict[str, Any]:
    """Return the settings of a TOML file, names upper-cased."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(
            N_("The configuration file %(path)s cannot be read: %(reason)s."),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            N_("The configuration file %(path)s is not valid TOML: %(reason)s."),
            path=str(path),
            reason=str(exc),
        ) from None
    return {key.upper(): value for key, value in data.items()}


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """Return the ``DRAFTER_*`` settings of `env` (strings, not yet typed)."""
    values = {
        key.removeprefix("DRAFTER_"): value
        for key, value in env.items()
        if key.startswith("DRAFTER_") and key not in ("DRAFTER_CONFIG", "DRAFTER_DB")
    }
    if "DRAFTER_DB" in env and "DATABASE" not in values:
        print("drafter: DRAFTER_DB is deprecated; use DRAFTER_DATABASE instead.", file=sys.stderr)
        values["DATABASE"] = env["DRAFTER_DB"]
    return values


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    file: str | Path | None = None,
) -> dict[str, Any]:
    """Return every setting: defaults < `file` (or ``DRAFTER_CONFIG``) < `env` < `overrides`.

    Overrides whose value is None are ignored (a command-line flag not given)."""
    env = os.environ if env is None else env
    settings = dict(DEFAULTS)
    file = file or env.get("DRAFTER_CONFIG")
    layers = [read_file(file) if file else {}, from_environment(env)]
    layers.append({k: v for k, v in (overrides or {}).items() if v is not None})
    for layer in layers:
        for name, raw in layer.items():
            settings[name] = _coerce(name, raw, DEFAULTS.get(name))
    settings["DATABASE"] = check_database(str(settings["DATABASE"]))
    smtp_target(settings)  # a bad SMTP URL stops here, with its reason
    base = str(settings["BASE_URL"])
    if base and urlsplit(base).scheme not in ("http", "https"):
        raise ConfigError(
            N_("The setting BASE_URL must start with http:// or https://, not “%(value)s”."),
            value=base,
        )
    try:
        ZoneInfo(str(settings["TIMEZONE"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            N_("The time zone “%(zone)s” is unknown (for example: Asia/Ho_Chi_Minh, UTC)."),
            zone=str(settings["TIMEZONE"]),
        ) from None
    return settings


@dataclass(frozen=True)
class SmtpTarget:
    """Where mail goes: ``smtp://`` (plain), ``smtp+starttls://`` or ``smtps://`` (TLS)."""

    host: str
    port: int
    security: str  # "plain", "starttls" or "tls"
    username: str | None = None
    password: str | None = None


_SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


def smtp_target(settings: Mapping[str, Any]) -> SmtpTarget | None:
    """Return the SMTP server of ``SMTP_URL`` (None when mail is not sent), e.g.
    ``smtp+starttls://user:password@mail.example.org:587``; raise ConfigError naming
    what is wrong."""
    url = str(settings.get("SMTP_URL") or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in _SCHEMES or not parts.hostname or port == -1:
        raise ConfigError(
            N_(
                "The setting SMTP_URL must look like smtp://host:25, smtp+starttls://host:587 "
                "or smtps://user:password@host:465, not “%(value)s”."
            ),
            value=url.replace(f":{parts.password}@", ":***@") if parts.password else url,
        )
    security, default_port = _SCHEMES[parts.scheme]
    return SmtpTarget(
        parts.hostname,
        port or default_port,
        security,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )
