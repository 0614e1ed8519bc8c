"""Server settings: environment variables first, then a TOML file outside the repository.

``ZHNEWS_DOCCANO_URL``, ``ZHNEWS_DOCCANO_USER``, ``ZHNEWS_DOCCANO_PASSWORD`` (or
``ZHNEWS_DOCCANO_TOKEN``); the file is ``$ZHNEWS_DOCCANO_CONFIG`` or
``~/.config/zhnews/doccano.toml`` with keys ``url``, ``user``, ``password``, ``token``.
The password is never part of ``repr`` or any message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8765"
ENV_PREFIX = "ZHNEWS_DOCCANO_"


class ConfigError(RuntimeError):
    pass


@dataclass(frozen=True)
class DoccanoSettings:
    url: str = DEFAULT_URL
    user: str = "admin"
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)


def config_path() -> Path:
    return Path(os.environ.get(ENV_PREFIX + "CONFIG") or Path.home() / ".config" / "zhnews" / "doccano.toml")


def load_settings(env: dict[str, str] | None = None) -> DoccanoSettings:
    env = dict(os.environ if env is None else env)
    values: dict[str, str] = {}
    path = Path(env.get(ENV_PREFIX + "CONFIG") or Path.home() / ".config" / "zhnews" / "doccano.toml")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"cannot read doccano settings from {path}: {err}") from None
        section = data.get("doccano", data)
        values.update({k: str(v) for k, v in section.items() if k in ("url", "user", "password", "token")})
    for key in ("url", "user", "password", "token"):
        if env.get(ENV_PREFIX + key.upper()):
            values[key] = env[ENV_PREFIX + key.upper()]
    settings = DoccanoSettings(**values)
    if not settings.password and not settings.token:
        raise ConfigError(
            f"no doccano credentials: set {ENV_PREFIX}USER and {ENV_PREFIX}PASSWORD (or {ENV_PREFIX}TOKEN), "
            f"or write them to {path}"
        )
    return settings
