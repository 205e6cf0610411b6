"""Settings from the environment (and an optional ``.env`` file).

Every secret and every deployment choice comes from here; nothing else reads
``os.environ`` for configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'participa.db'}",
        description="SQLAlchemy URL; SQLite file by default, PostgreSQL in production",
    )
    telegram_bot_token: str | None = None
    telegram_api_base_url: str | None = Field(
        default=None, description="custom Bot API server, e.g. an emulator"
    )
    rasa_url: str | None = Field(
        default=None, description="running Rasa server; when unset the bot starts its own"
    )
    action_server_url: str | None = None
    public_url: str | None = None
    webhook_secret: str | None = None
    participa_locale: str = "es_MX"
    participa_secret_key: str | None = Field(
        default=None, description="keys the hashes that stand for people; var/secret.key if unset"
    )

    rasa_timeout_seconds: float = 10.0
    max_message_chars: int = 4000
    content_dir: Path = PROJECT_ROOT / "content"
    nlu_dir: Path = PROJECT_ROOT / "nlu"
    models_dir: Path = PROJECT_ROOT / "models"
    var_dir: Path = PROJECT_ROOT / "var"
    rasa_venv: Path = PROJECT_ROOT / ".venv-rasa"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """The key for person hashes: from the environment, else a random one kept in ``var/``."""
    settings = get_settings()
    if settings.participa_secret_key:
        return settings.participa_secret_key.encode()
    path = settings.var_dir / "secret.key"
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path) if not path.exists() else tmp.unlink()
    return path.read_text().strip().encode()
