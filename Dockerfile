# Participa en contenedores: dos imágenes de un mismo Dockerfile, como los dos entornos de `make setup`.
#
#   app   Python 3.11: bot (`participa serve`), servidor de acciones, web (`participa web`), CLI.
#         Lo mismo que `.venv`: el proyecto instalado con pip; content/, nlu/ y los catálogos
#         compilados (Babel) dentro; `participa content check` y `participa nlu build` al construir.
#   rasa  Python 3.10: Rasa 3.6.21 (requirements-rasa.lock, lo mismo que `.venv-rasa`) con el
#         modelo ENTRENADO AL CONSTRUIR, con el mismo comando que `participa nlu train`
#         (bot/rasa/training.py, train_command) sobre los datos que genera la etapa app.
#
# Por qué entrenar al construir (y no montar un volumen de modelos): la imagen lleva juntos el
# contenido y el modelo hecho con él, así que todas las réplicas de Rasa contestan igual y un
# contenedor arranca sin esperar un entrenamiento (5 a 30 min). Cambiar content/ ya obliga a
# reconstruir la imagen app; la de rasa se reconstruye con ella (Docker reusa la capa de
# entrenamiento si nlu/ no cambió).
#
# Ningún secreto va en la imagen: el token, las contraseñas y la llave llegan por el entorno
# (docker-compose.yml y .env). Ambas imágenes corren sin root.
#
#   docker compose build          # o: docker build --target app -t participa-app .
#                                 #     docker build --target rasa -t participa-rasa .
# Sin motor de Docker en las máquinas de desarrollo, esto no se ha construido aquí; lo que sí se
# verifica está en tests/test_deployment.py y en el README («Docker»).

# --- app: la aplicación (Python 3.11) -----------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 participa

# Dependencies first (their layer survives code changes): pyproject.toml with empty packages.
# Exact versions with hashes (requirements.lock, `make lock`), then the project without deps.
COPY pyproject.toml requirements.lock ./
RUN mkdir -p bot actions \
    && touch bot/__init__.py actions/__init__.py \
    && pip install --upgrade pip \
    && pip install --require-hashes -r requirements.lock \
    && pip install --no-deps -e .

COPY bot/ bot/
COPY actions/ actions/
COPY content/ content/
COPY nlu/ nlu/
COPY babel.cfg ./
# The safety net's learned model trains on these dev batches too (bot/conversation/safety_model.py).
COPY benchmarks/data/emergency_dev.yml benchmarks/data/emergency_dev.yml
COPY benchmarks/data/safety/ benchmarks/data/safety/

# Catalogs compiled (the .mo files are build products), content validated, Rasa's data and
# responses generated from content/ and the safety net's learned model built (`nlu build`; the
# bot only reads it, the check below fails the build without it), and the endpoints file the
# rasa stage uses.
RUN pybabel compile -D messages -d bot/locale --statistics \
    && participa content check \
    && participa nlu build \
    && participa nlu endpoints -o nlu/endpoints.container.yml \
    && python -c "from bot.conversation.safety import safety_net; assert safety_net().model" \
    && mkdir -p var/exports \
    && chown -R participa:participa var

USER participa
EXPOSE 8080
# `participa serve` (the default command): /healthz answers while the process runs.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["participa", "serve"]


# --- rasa: el servidor de Rasa (Python 3.10) con el modelo entrenado ---------------------------
FROM python:3.10-slim AS rasa

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app/nlu:/app \
    TF_CPP_MIN_LOG_LEVEL=3 \
    TF_ENABLE_ONEDNN_OPTS=0 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PYTHONWARNINGS=ignore

WORKDIR /app
RUN useradd --create-home --uid 10001 rasa

COPY requirements-rasa.txt requirements-rasa.lock ./
RUN pip install --upgrade pip \
    && pip install --require-hashes -r requirements-rasa.lock

# What Rasa's custom components import from the application (standard library only).
COPY bot/__init__.py bot/textnorm.py bot/
COPY bot/rasa/__init__.py bot/rasa/tracker_scrub.py bot/rasa/
# nlu/ with the files `participa nlu build` generated from content/, and endpoints.container.yml.
COPY --from=app /app/nlu nlu/
RUN mkdir -p models && chown -R rasa:rasa /app

USER rasa
WORKDIR /app/nlu
RUN rasa train --config config.yml --domain domain --data data --out /app/models --fixed-model-name participa \
    && rm -rf .rasa

EXPOSE 5005
# The channel the bot talks to: it answers once the model is loaded.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/webhooks/participa/', timeout=4)"]
CMD ["rasa", "run", "-m", "/app/models/participa.tar.gz", "--endpoints", "endpoints.container.yml", "--credentials", "credentials.yml", "-i", "0.0.0.0", "-p", "5005", "--response-timeout", "30"]
