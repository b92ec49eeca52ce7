"""docker-compose.yml stays a valid, complete deployment (no engine runs here,
so its structure is checked instead of `docker compose config`)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_every_service_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("web", "worker", "beat"):
        assert services[name]["build"] == "."
        env = services[name]["environment"]
        assert env["DEBUG"] == "false" and "SECRET_KEY_FILE" in env
    declared = set(compose["secrets"])
    for service in services.values():
        assert set(service.get("secrets", [])) <= declared


def test_dockerfile_serves_with_gunicorn_as_non_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile and "USER dutylaw" in dockerfile
    assert "requirements.lock" in dockerfile


def test_gunicorn_config_freezes_the_loaded_app_for_the_collector():
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
