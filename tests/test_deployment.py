"""Dockerfile and docker-compose.yml, checked without a Docker engine (none runs on these machines).

What can be checked here: the compose file's services, health checks, start order and
environment (against ``Settings`` and ``.env.example``), ``docker-compose config`` when the
binary is installed, and the Dockerfile's stages and commands against what ``make setup`` and
the code itself run. Building the images and running them is not exercised (README, «Docker»).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT, Settings
from bot.rasa.servers import CONTAINER_ENV, RASA_HEALTH_PATH, container_endpoints, rasa_run_args
from bot.rasa.training import train_args

COMPOSE_PATH = PROJECT_ROOT / "docker-compose.yml"
COMPOSE = yaml.safe_load(COMPOSE_PATH.read_text(encoding="utf-8"))
SERVICES: dict[str, dict] = COMPOSE["services"]  # type: ignore[type-arg]
APP_SERVICES = ("migrate", "actions", "bot", "web")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
SECRET_RE = re.compile(r"TOKEN|SECRET|PASSWORD")


def env_example() -> dict[str, str]:
    lines = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))


# --- docker-compose.yml ---------------------------------------------------------------------


def test_compose_runs_every_part_with_a_health_check() -> None:
    assert set(SERVICES) == {"postgres", "redis", "migrate", "actions", "rasa", "bot", "web"}
    for name, service in SERVICES.items():
        check = service.get("healthcheck") or {}
        if name == "migrate":  # a one-off job: the others wait for it to finish instead
            assert check == {"disable": True} and service["restart"] == "no"
            continue
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service["restart"] == "unless-stopped", name
    assert SERVICES["redis"]["profiles"] == ["scale"]  # only when Rasa has several replicas
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])


def test_each_service_starts_when_what_it_needs_is_healthy() -> None:
    for name, service in SERVICES.items():
        for needed, how in (service.get("depends_on") or {}).items():
            assert needed in SERVICES, (name, needed)
            wanted = "service_completed_successfully" if needed == "migrate" else "service_healthy"
            assert how == {"condition": wanted}, (name, needed)
    needs = {name: set(s.get("depends_on") or {}) for name, s in SERVICES.items()}
    assert needs["migrate"] == {"postgres"}
    assert {"migrate"} <= needs["actions"] and {"migrate"} <= needs["web"]
    assert needs["rasa"] == {"postgres", "actions"}
    assert needs["bot"] == {"migrate", "rasa"}


def probe(service: str) -> str:
    return " ".join(SERVICES[service]["healthcheck"]["test"])


def test_health_checks_ask_each_server_what_it_serves() -> None:
    bot_env = SERVICES["bot"]["environment"]
    assert f"127.0.0.1:{bot_env['HTTP_PORT']}/healthz" in probe("bot")
    rasa_url = bot_env["RASA_URL"]
    assert rasa_url == "http://rasa:5005"
    assert f"127.0.0.1:5005{RASA_HEALTH_PATH}" in probe("rasa")  # what `participa serve` watches
    assert SERVICES["rasa"]["environment"]["ACTION_SERVER_URL"] == "http://actions:5055"
    assert "127.0.0.1:5055/health" in probe("actions")
    assert SERVICES["actions"]["command"][-2:] == ["--port", "5055"]
    assert SERVICES["web"]["command"][-4:] == ["--host", "0.0.0.0", "--port", "8000"]
    assert "127.0.0.1:8000/" in probe("web")


def test_services_run_the_documented_commands() -> None:
    assert SERVICES["bot"]["command"] == ["participa", "serve"]
    assert SERVICES["web"]["command"][:2] == ["participa", "web"]
    assert SERVICES["migrate"]["command"][-1] == (
        "participa db upgrade && participa procurement load --bundled"
    )
    for name in APP_SERVICES:
        assert SERVICES[name]["build"]["target"] == "app"
    assert SERVICES["rasa"]["build"]["target"] == "rasa"


def test_environment_is_settings_and_listed_in_env_example() -> None:
    settings = {name.upper() for name in Settings.model_fields}
    example = env_example()
    for name in APP_SERVICES:
        unknown = set(SERVICES[name]["environment"]) - settings
        assert not unknown, f"{name}: {unknown} no son ajustes de bot/config.py"
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_PATH.read_text(encoding="utf-8")))
    assert used - set(example) == set(), "faltan en .env.example"
    # Rasa's container gets exactly what its endpoints file asks for.
    # the endpoints' variables, plus Sanic's worker count (RASA_WORKERS, read by Rasa itself)
    assert set(SERVICES["rasa"]["environment"]) == set(CONTAINER_ENV) | {"SANIC_WORKERS"}
    written = yaml.safe_dump(container_endpoints())
    assert set(re.findall(r"\$\{([A-Z_]+)\}", written)) == set(CONTAINER_ENV)


def test_secrets_come_from_the_environment_and_are_required() -> None:
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_RE.search(key) and key != "WEBHOOK_SECRET":  # empty webhook secret = polling
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", str(value)), (name, key, value)
    # The key for people's hashes must be one for all containers, never one per container.
    assert all(SERVICES[n]["environment"]["PARTICIPA_SECRET_KEY"].startswith("${PARTICIPA_SECRET_KEY:?")
               for n in APP_SERVICES)


def test_actions_and_bot_share_the_exports_folder() -> None:
    """The action server writes the CSV; the bot (another container) sends it as a document."""
    assert "exports:/app/var/exports" in SERVICES["actions"]["volumes"]
    assert "exports:/app/var/exports:ro" in SERVICES["bot"]["volumes"]


def compose_config(tmp_path: Path, extra: str) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "env"
    env_file.write_text((PROJECT_ROOT / ".env.example").read_text(encoding="utf-8") + extra)
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    return subprocess.run(
        ["docker-compose", "--env-file", str(env_file), "-f", str(COMPOSE_PATH),
         "--profile", "scale", "config", "-q"],
        cwd=PROJECT_ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose no está instalado (Debian: apt-get install docker-compose)",
)
def test_docker_compose_accepts_the_file_and_refuses_missing_secrets(tmp_path: Path) -> None:
    secrets = "POSTGRES_PASSWORD=abc123\nPARTICIPA_SECRET_KEY=def456\nTELEGRAM_BOT_TOKEN=1:x\n"
    done = compose_config(tmp_path, secrets)
    assert done.returncode == 0, done.stderr
    missing = compose_config(tmp_path, secrets.replace("TELEGRAM_BOT_TOKEN=1:x\n", ""))
    assert missing.returncode != 0 and "TELEGRAM_BOT_TOKEN" in missing.stderr


# --- Dockerfile -----------------------------------------------------------------------------


def dockerfile() -> dict[str, list[tuple[str, str]]]:
    """Stage name → its instructions (KEYWORD, arguments), comments and continuations joined."""
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    stages: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in joined.splitlines():
        if not line.strip():
            continue
        keyword, _, args = line.strip().partition(" ")
        if keyword.upper() == "FROM":
            image, _as, name = args.split()
            current = stages.setdefault(name, [("FROM", image)])
            continue
        current.append((keyword.upper(), args.strip()))
    return stages


STAGES = dockerfile()


def runs(stage: str) -> list[list[str]]:
    """Each shell command of the stage's RUN instructions, as words."""
    commands: list[list[str]] = []
    for keyword, args in STAGES[stage]:
        if keyword == "RUN":
            commands += [shlex.split(part) for part in args.split("&&")]
    return commands


def exec_form(stage: str, keyword: str) -> list[str]:
    import json

    [args] = [a for k, a in STAGES[stage] if k == keyword]
    return list(json.loads(args.removeprefix("CMD").strip()))


def test_two_stages_on_the_python_versions_make_setup_uses() -> None:
    assert {name: s[0][1] for name, s in STAGES.items()} == {
        "app": "python:3.11-slim",
        "rasa": "python:3.10-slim",
    }
    assert re.search(r"PY311 := .*find-python\.sh 3\.11", MAKEFILE)
    assert re.search(r"PY310 := .*find-python\.sh 3\.10", MAKEFILE)


def pip_installs(commands: list[list[str]]) -> list[list[str]]:
    return [c[2:] for c in commands if c[:2] == ["pip", "install"] and "--upgrade" not in c]


def test_images_install_what_the_makefile_installs() -> None:
    # .venv: the dev lock (hashes), then the project without deps; the image: the runtime lock.
    made = re.findall(r"\$\(BIN\)/pip install --quiet (.+?) 2>&1", MAKEFILE)
    assert "--require-hashes -r requirements-dev.lock" in made
    assert any(m.startswith("--no-deps -e ") for m in made)
    assert pip_installs(runs("app")) == [["--require-hashes", "-r", "requirements.lock"],
                                         ["--no-deps", "-e", "."]]
    # .venv-rasa and the rasa image: the same lock file.
    rasa_files = re.findall(r"\$\(RASA_VENV\)/bin/pip install --quiet --require-hashes -r (\S+)", MAKEFILE)
    assert rasa_files == ["requirements-rasa.lock"]
    assert pip_installs(runs("rasa")) == [["--require-hashes", "-r", f] for f in rasa_files]
    copied = " ".join(a for k, a in STAGES["rasa"] if k == "COPY")
    assert "requirements-rasa.lock" in copied


def _pins(lock: str) -> dict[str, str]:
    text = (PROJECT_ROOT / lock).read_text(encoding="utf-8")
    return {m.group(1).lower().replace("_", "-"): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", text, re.MULTILINE)}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_the_lock_files_cover_every_declared_dependency_with_hashes() -> None:
    """A dependency added to pyproject.toml or requirements-rasa.txt without `make lock` fails here."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, dev = _names(project["dependencies"]), _names(project["optional-dependencies"]["dev"])
    app, dev_lock = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert runtime <= set(app), runtime - set(app)
    assert runtime | dev <= set(dev_lock), (runtime | dev) - set(dev_lock)
    assert {k: v for k, v in dev_lock.items() if k in app} == app, "the image and .venv differ"
    rasa = [line for line in (PROJECT_ROOT / "requirements-rasa.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert _names(rasa) <= set(_pins("requirements-rasa.lock"))
    for lock in ("requirements.lock", "requirements-dev.lock", "requirements-rasa.lock"):
        text = (PROJECT_ROOT / lock).read_text(encoding="utf-8")
        assert text.count("==") <= text.count("--hash=sha256:"), f"{lock}: every pin has a hash"


def test_the_model_is_trained_with_the_same_command_as_participa_nlu_train() -> None:
    [train] = [c for c in runs("rasa") if c[:2] == ["rasa", "train"]]
    out, name = train[train.index("--out") + 1], train[train.index("--fixed-model-name") + 1]
    assert train[1:] == train_args(out, name)
    [workdir] = [a for k, a in STAGES["rasa"] if k == "WORKDIR"][-1:]
    assert workdir == "/app/nlu"  # train_command runs with cwd=nlu
    cmd = exec_form("rasa", "CMD")
    model = f"{out}/{name}.tar.gz"
    assert cmd == ["rasa", *rasa_run_args(model, "endpoints.container.yml", "0.0.0.0", 5005)]


def test_rasa_gets_the_application_modules_its_components_import() -> None:
    imported: set[str] = set()
    for path in (PROJECT_ROOT / "nlu").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        imported |= set(re.findall(r"^\s*from bot\.([\w.]+) import", text, re.M))
        imported |= set(re.findall(r"^\s*import bot\.([\w.]+)", text, re.M))
    assert imported, "nlu/ ya no importa nada de bot/: revisa esta prueba"
    copied = " ".join(a for k, a in STAGES["rasa"] if k == "COPY")
    packages = {"/".join(m.split(".")[:i]) + "/__init__"
                for m in imported for i in range(1, m.count(".") + 1)}
    for module in {m.replace(".", "/") for m in imported} | packages | {"__init__"}:
        assert f"bot/{module}.py" in copied, module
    assert "--from=app /app/nlu nlu/" in copied  # with what `participa nlu build` generated
    env = " ".join(a for k, a in STAGES["rasa"] if k == "ENV")
    assert "PYTHONPATH=/app/nlu:/app" in env  # as bot.rasa.training.rasa_env sets it


def test_the_app_image_prepares_what_make_setup_prepares() -> None:
    app_runs = [" ".join(c) for c in runs("app")]
    assert "pybabel compile -D messages -d bot/locale --statistics" in app_runs
    assert "participa content check" in app_runs
    assert "participa nlu build" in app_runs
    assert "participa nlu endpoints -o nlu/endpoints.container.yml" in app_runs
    # Every step of `make setup` happens in the images or in the compose `migrate` job.
    recipe = MAKEFILE.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    steps = re.findall(r"\$\(PARTICIPA\) (.+)", recipe)
    assert steps, "el Makefile ya no tiene pasos de setup"
    elsewhere = app_runs + [SERVICES["migrate"]["command"][-1]]
    for step in steps:
        if step.startswith("nlu train"):
            assert any(c[:2] == ["rasa", "train"] for c in runs("rasa"))
        else:
            assert any(f"participa {step}" in command for command in elsewhere), step


def test_images_run_without_root_with_a_health_check_and_no_secrets() -> None:
    for name, instructions in STAGES.items():
        keywords = [k for k, _ in instructions]
        users = [a for k, a in instructions if k == "USER"]
        assert users and users[-1] not in ("root", "0"), name
        assert keywords.index("USER") < keywords.index("CMD"), name
        assert "HEALTHCHECK" in keywords, name
        for keyword, args in instructions:
            if keyword in ("ENV", "ARG"):
                assert not SECRET_RE.search(args), (name, args)
    assert "/healthz" in dict(STAGES["app"])["HEALTHCHECK"]
    assert RASA_HEALTH_PATH in dict(STAGES["rasa"])["HEALTHCHECK"]


def test_the_build_context_leaves_out_local_state_and_secrets() -> None:
    ignored = set((PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".venv", ".venv-rasa", "var", "models", ".git", "bot/locale/**/*.mo"} <= ignored
