# Production image: gunicorn serves the web app; the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 dutylaw

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY . .
# Static files and translations are built into the image; no CDN is ever used.
RUN DEBUG=false SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py compilemessages --ignore=.venv \
 && DEBUG=false SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput -v 0 \
 && chown -R dutylaw /app/.run
USER dutylaw
EXPOSE 8000
CMD ["gunicorn", "dutylaw.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
