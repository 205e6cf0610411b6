"""Train the Rasa model once per change of its data and config.

The model file is named by a hash of everything that shapes it, so ``make
setup`` trains only when that changed; trained models are also kept in a
per-user cache so a fresh clone on the same machine does not train again.

A models folder that is a symlink, or lies outside this checkout, belongs to another checkout
too (a worktree pointing at the main one's folder): training there would delete that checkout's
model in use. So nothing trains there unless asked (``participa nlu train --shared-models``),
and even then no model in it is ever deleted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bot.config import PROJECT_ROOT, get_settings
from bot.rasa.nlu_build import build

MODEL_PREFIX = "participa-"
CACHE_KEEP = 6
CACHE_DIR = Path(os.environ.get("PARTICIPA_CACHE_DIR", Path.home() / ".cache" / "participa"))


def _model_inputs(nlu: Path) -> list[Path]:
    files = [nlu / "config.yml", PROJECT_ROOT / "bot" / "textnorm.py"]
    for sub in ("domain", "data", "components"):
        files += sorted(
            p for p in (nlu / sub).rglob("*") if p.is_file() and p.suffix in {".yml", ".py"}
        )
    return files


def model_hash(nlu: Path | None = None) -> str:
    """SHA-256 (first 16 hex digits) over the training data, domain, config and components."""
    nlu = nlu or get_settings().nlu_dir
    digest = hashlib.sha256()
    for path in _model_inputs(nlu):
        name = path.relative_to(nlu) if path.is_relative_to(nlu) else Path(path.name)
        digest.update(str(name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class SharedModelsError(RuntimeError):
    """Training would write into (and prune) a models folder another checkout uses."""


def shared_models_dir(models_dir: Path | None = None) -> bool:
    """Whether the models folder is a symlink or lies outside this checkout (so others use it)."""
    models_dir = models_dir or get_settings().models_dir
    absolute = models_dir if models_dir.is_absolute() else Path.cwd() / models_dir
    return absolute.is_symlink() or not absolute.resolve().is_relative_to(PROJECT_ROOT.resolve())


def model_path(nlu: Path | None = None) -> Path:
    return get_settings().models_dir / f"{MODEL_PREFIX}{model_hash(nlu)}.tar.gz"


def rasa_env() -> dict[str, str]:
    """Environment for Rasa processes: finds ``bot.textnorm`` and our components, quietly."""
    env = dict(os.environ)
    settings = get_settings()
    env["PYTHONPATH"] = os.pathsep.join([str(settings.nlu_dir), str(PROJECT_ROOT)])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def rasa_executable() -> Path:
    path = get_settings().rasa_venv / "bin" / "rasa"
    if not path.exists():
        raise FileNotFoundError(f"{path} no existe: corre `make setup`")
    return path


def train_args(out: Path | str, name: str) -> list[str]:
    """The arguments of ``rasa train`` (also the Dockerfile's, checked by tests/test_deployment.py)."""
    return [
        "train", "--config", "config.yml", "--domain", "domain",
        "--data", "data", "--out", str(out), "--fixed-model-name", name,
    ]


def train_command(out: Path, name: str) -> list[str]:
    """``rasa train`` for the project in ``nlu/`` (run with cwd=nlu and :func:`rasa_env`)."""
    return [str(rasa_executable()), *train_args(out, name)]


def ensure_model(force: bool = False, quiet: bool = False, shared_ok: bool = False) -> Path:
    """Return the model for the current data, training it only when needed.

    ``shared_ok``: train even when the models folder is shared with another checkout (only
    ``participa nlu train --shared-models`` says so); older models there are kept, never pruned.
    """
    settings = get_settings()
    build(settings.content_dir, settings.nlu_dir)
    target = model_path()
    cached = CACHE_DIR / "models" / target.name
    if not force and target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if not force and cached.exists():  # a copy deletes nothing, even in a shared folder
        shutil.copy2(cached, target)
        cached.touch()  # recently used: kept by the cache's clean-up
        return target
    shared = shared_models_dir(settings.models_dir)
    if shared and not shared_ok:
        raise SharedModelsError(
            f"No entreno en {settings.models_dir}: es un enlace o está fuera de este checkout "
            f"({PROJECT_ROOT}), así que otro checkout usa sus modelos y entrenar aquí borraría el "
            "suyo. Usa una carpeta models/ propia (`rm models && mkdir models`, o MODELS_DIR "
            "dentro de este checkout) o, si de veras quieres entrenar ahí sin borrar nada, "
            "`participa nlu train --shared-models`."
        )
    if not shared:  # only this checkout's own folder is pruned
        for old in target.parent.glob(f"{MODEL_PREFIX}*.tar.gz"):
            old.unlink()
    cmd = train_command(target.parent, target.name.removesuffix(".tar.gz"))
    log_path = settings.var_dir / "log" / "rasa-train.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(
            f"Entrenando el modelo de Rasa ({target.name}); bitácora en {log_path}…",
            file=sys.stderr,
            flush=True,
        )
    started = time.monotonic()
    with open(log_path, "wb") as log:
        result = subprocess.run(
            cmd, cwd=settings.nlu_dir, env=rasa_env(), stdout=log, stderr=subprocess.STDOUT
        )
    if result.returncode != 0 or not target.exists():
        tail = log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"el entrenamiento de Rasa falló (código {result.returncode}):\n{tail}")
    if not quiet:
        print(
            f"Modelo entrenado en {time.monotonic() - started:.0f} s.", file=sys.stderr, flush=True
        )
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(target, cached)
    # Keep a few recent models: several checkouts (branches, fresh clones) share this cache.
    kept = sorted(cached.parent.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in kept[:-CACHE_KEEP]:
        old.unlink(missing_ok=True)
    return target
