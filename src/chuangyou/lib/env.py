"""Typed readers for environment variables that fail loudly on a bad value.

Settings call these once, at settings import, so a misconfigured deployment stops at start-up
with a message that names the variable instead of misbehaving later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """An environment variable is missing or malformed."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, fallback: str) -> str:
    """A secret that must be set in production; `fallback` is only for development."""
    raw = os.environ.get(name, "")
    if raw:
        return raw
    if required:
        raise ConfigError(f"{name} must be set when DEBUG is off")
    return fallback


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] | None = None


def parse_database_url(url: str, *, base_dir: Path) -> DatabaseConfig:
    """Read `postgres://user:pass@host:port/name` or `sqlite:///path` (relative to base_dir)."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise ConfigError("DATABASE_URL for PostgreSQL must name a database")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=name,
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
            options=options or None,
        )
    if scheme == "sqlite":
        raw_path = unquote(url[len("sqlite://") :]).lstrip("/") if url.startswith("sqlite:///") else ""
        if not raw_path:
            raise ConfigError("DATABASE_URL for SQLite looks like sqlite:///var/db.sqlite3")
        path = Path(raw_path) if url.startswith("sqlite:////") else base_dir / raw_path
        if url.startswith("sqlite:////"):
            path = Path("/" + raw_path)
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=str(path))
    raise ConfigError(f"DATABASE_URL scheme {scheme!r} is not supported (use postgres:// or sqlite:///)")
