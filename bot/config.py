"""Settings from the environment (and an optional ``.env`` file).

Every secret and every deployment choice comes from here; nothing else reads
``os.environ`` for configuration.
"""

from __future__ import annotations

import secrets
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
    redis_url: str | None = Field(
        default=None, description="Rasa's lock store when several Rasa replicas share conversations"
    )
    rasa_workers: int = Field(
        default=1, ge=1, le=16,
        description="Rasa server processes (Sanic workers); more than 1 needs REDIS_URL (lock store)",
    )
    public_url: str | None = None
    forwarded_allow_ips: str = Field(
        default="",
        description="proxies (comma-separated IPs or CIDR) whose X-Forwarded-For is believed; "
        "none by default, so nobody can pose as another address",
    )
    webhook_secret: str | None = None
    participa_locale: str = "es_MX"
    participa_timezone: str = Field(
        default="America/Mexico_City", description="the web shows dates and times in this zone"
    )
    participa_secret_key: str | None = Field(
        default=None,
        description="keys the hashes that stand for people; required by `participa serve`, "
        "a generated var/secret.key only for local runs",
    )

    # Privacy (bot/privacy/, content/privacy.yml).
    privacy_notice_url: str | None = Field(
        default=None, description="the full privacy notice; PUBLIC_URL + /privacidad if unset"
    )
    contact_retention_months: int = Field(
        default=6, ge=0, description="contact data kept this long after a proposal is closed"
    )
    tracker_retention_days: int = Field(
        default=30, ge=1, description="Rasa conversation events kept this long after the last message"
    )

    # Talk to a person (bot/attention/). The STL's real hours are not confirmed: configure them.
    attention_days: str = Field(
        default="1-5", description="days the team answers (1 = Monday … 7 = Sunday; e.g. 1-5); "
        "a placeholder until the STL confirms its hours"
    )
    attention_hours: str = Field(
        default="09:00-18:00", description="hours the team answers, in PARTICIPA_TIMEZONE; a placeholder"
    )
    attention_alert_chat_id: int | None = Field(
        default=None, description="staff Telegram group told when a request waits too long (none: no alert)"
    )
    attention_retention_days: int = Field(
        default=30, ge=1, description="conversations with the team are deleted this long after closing"
    )
    attention_alert_minutes: int = Field(
        default=30, ge=1, description="minutes a request may wait before the staff group is told"
    )

    # Telegram front (bot/channels/telegram.py).
    http_host: str = Field(default="0.0.0.0", description="health endpoint and webhook listen here")
    http_port: int = Field(default=8080, description="`participa serve`: /healthz, /telegram, web")
    telegram_max_messages_per_second: float = Field(
        default=30.0, description="all sends of this bot (Telegram's documented ~30 msg/s)"
    )
    telegram_max_retries: int = Field(default=5, description="retries after a 429 RetryAfter")
    telegram_flood_messages_per_minute: int = Field(
        default=20, description="per chat; above it one notice, then replies are spaced out"
    )
    telegram_concurrent_updates: int = Field(
        default=64, description="updates handled at once (one at a time within a chat)"
    )
    telegram_typing_delay_seconds: float = Field(
        default=0.5, description="show 'escribiendo…' only when a reply takes longer than this"
    )

    # Campaign sender (bot/campaigns/broadcast/).
    broadcast_messages_per_second: float = Field(
        default=29.5,
        description="campaign sends per second, evenly spaced (Telegram allows about 30 per bot)",
    )
    broadcast_lanes: int = Field(
        default=8, description="messages in flight at once; a crash leaves at most this many 'unknown'"
    )
    broadcast_sender_id: str | None = Field(
        default=None, description="this sender's stable name (host name if unset); unique per process"
    )
    broadcast_in_serve: bool = Field(
        default=True, description="`participa serve` sends scheduled campaigns when they are due"
    )
    broadcast_check_seconds: float = Field(
        default=15.0, description="how often `serve` and `campaign send --wait` look for due campaigns"
    )

    rasa_timeout_seconds: float = 10.0
    notify_interval_seconds: float = 10.0
    rasa_check_seconds: float = Field(
        default=5.0, description="`participa serve` checks Rasa this often; restarts it if it died"
    )
    max_message_chars: int = 4000
    # Usage counts are buffered in memory and written together this often (0 = at once).
    usage_flush_seconds: float = 5.0
    content_dir: Path = PROJECT_ROOT / "content"
    nlu_dir: Path = PROJECT_ROOT / "nlu"
    models_dir: Path = PROJECT_ROOT / "models"
    var_dir: Path = PROJECT_ROOT / "var"
    rasa_venv: Path = PROJECT_ROOT / ".venv-rasa"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


MIN_SECRET_KEY_CHARS = 32


def production_secret_problems(settings: Settings) -> list[str]:
    """What keeps ``participa serve`` from starting: secrets must come from the environment.

    A generated ``var/secret.key`` is fine for ``participa chat`` on a laptop, but in
    production it would silently change the person hashes whenever the container's
    disk is replaced (everyone would lose their proposals), and it would live next to
    the data it protects. So production refuses to start without ``PARTICIPA_SECRET_KEY``,
    and without ``WEBHOOK_SECRET`` when Telegram calls a webhook (``PUBLIC_URL``).
    """
    problems: list[str] = []
    key = settings.participa_secret_key or ""
    if len(key) < MIN_SECRET_KEY_CHARS:
        problems.append(
            f"Falta PARTICIPA_SECRET_KEY (al menos {MIN_SECRET_KEY_CHARS} caracteres). Créala con "
            "`python -c 'import secrets; print(secrets.token_hex(32))'` y guárdala en el entorno; "
            "si cambia, las personas ya no encuentran sus propuestas."
        )
    if settings.public_url and not settings.webhook_secret:
        problems.append("Con PUBLIC_URL (webhook) hace falta WEBHOOK_SECRET.")
    return problems


def privacy_notice_url(settings: Settings | None = None) -> str | None:
    """Where the full privacy notice is: the setting, else the web app's /privacidad page."""
    settings = settings or get_settings()
    if settings.privacy_notice_url:
        return settings.privacy_notice_url
    if settings.public_url:
        return f"{settings.public_url.rstrip('/')}/privacidad"
    return None


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """The key for person hashes: from the environment, else (local runs only) ``var/secret.key``.

    ``participa serve`` refuses to start without the environment variable
    (:func:`production_secret_problems`), so the generated file only ever serves
    ``participa chat``/``ask`` and the tests.
    """
    settings = get_settings()
    if settings.participa_secret_key:
        return settings.participa_secret_key.encode()
    path = settings.var_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path) if not path.exists() else tmp.unlink()
    return path.read_text().strip().encode()
