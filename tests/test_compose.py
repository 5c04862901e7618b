"""The docker compose stack, checked without a Docker engine.

``docker-compose config`` resolves docker-compose.yml with the values of
.env.example (interpolation, required variables, profiles) exactly as
``docker-compose up`` would, and prints the result; these tests assert on
that, on the raw file and on the Dockerfile. Skipped only when the
docker-compose binary itself is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "scrapyd-entrypoint.sh"
SCRAPYD_CONF = ROOT / "docker" / "scrapyd.conf"
MONGO_INIT = ROOT / "docker" / "mongo-init" / "01-create-app-user.js"

DOCKER_COMPOSE = shutil.which("docker-compose")
needs_compose = pytest.mark.skipif(DOCKER_COMPOSE is None, reason="docker-compose binary not installed")

SERVICES = {"mongo", "scrapyd", "crawl", "deploy"}


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def clean_env() -> dict[str, str]:
    """Only what docker-compose needs to run: variables of the caller's shell
    (MONGO_*, SCRAPYD_*, a developer's .env) must not leak into the result."""
    return {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}


def compose(*args: str, env_file: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DOCKER_COMPOSE, "--project-directory", str(ROOT), "-f", str(COMPOSE_FILE),
         "--env-file", str(env_file), *args],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_yaml(text: str):
    """PyYAML when the test environment has it; otherwise the interpreter
    docker-compose 1.x itself runs on (a Python program that depends on it)."""
    try:
        import yaml
    except ImportError:
        first = Path(DOCKER_COMPOSE).read_text(errors="replace").splitlines()[0]
        interpreter = first[2:].strip().split()[0] if first.startswith("#!") else sys.executable
        converted = subprocess.run(
            [interpreter, "-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
            input=text, capture_output=True, text=True, check=True, timeout=60,
        )
        return json.loads(converted.stdout)
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def resolved() -> dict:
    """docker-compose.yml as docker-compose resolves it with .env.example,
    all profiles enabled."""
    result = compose("--profile", "crawl", "config", env_file=ENV_EXAMPLE)
    assert result.returncode == 0, result.stderr
    return load_yaml(result.stdout)


@needs_compose
def test_services_present(resolved):
    assert SERVICES <= set(resolved["services"])


@needs_compose
def test_published_ports_bind_loopback_only(resolved):
    published = []
    for name, service in resolved["services"].items():
        for port in service.get("ports", []):
            if isinstance(port, dict):  # long syntax
                host_ip = port.get("host_ip")
            else:  # "HOST_IP:HOST_PORT:CONTAINER_PORT[/proto]"
                parts = str(port).split(":")
                host_ip = parts[0] if len(parts) == 3 else None
            published.append((name, host_ip))
            assert host_ip == "127.0.0.1", f"{name} publishes {port!r} beyond loopback"
    assert {name for name, _ in published} == {"mongo", "scrapyd"}


@needs_compose
def test_no_literal_credentials_in_compose_file():
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    # The example passwords appear only after interpolation, never in the
    # file itself.
    for name, value in env_example().items():
        if name.endswith("PASSWORD"):
            assert value not in raw, f"{name}'s example value is written into docker-compose.yml"
    # Lines that set a credential take it from ${...}.
    credential_lines = [
        line for line in raw.splitlines()
        if re.match(r"\s*[A-Z_]*(PASSWORD|USERNAME):\s", line)
    ]
    assert credential_lines
    for line in credential_lines:
        value = line.split(":", 1)[1].strip()
        assert value.startswith("${") and value.endswith("}"), line
    # Connection strings carry credentials only as variables.
    for uri in re.findall(r"mongodb://.*", raw):
        assert re.match(r"mongodb://\$\{MONGO_APP_USERNAME[^}]*\}:\$\{MONGO_APP_PASSWORD[^}]*\}@", uri), uri


@needs_compose
def test_secrets_are_required_variables(tmp_path):
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = compose("config", env_file=empty)
    assert result.returncode != 0
    assert re.search(r"set (MONGO|SCRAPYD)_\w+ in \.env", result.stderr), result.stderr
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    for name in ("MONGO_ROOT_USERNAME", "MONGO_ROOT_PASSWORD", "MONGO_APP_USERNAME",
                 "MONGO_APP_PASSWORD", "SCRAPYD_USERNAME", "SCRAPYD_PASSWORD"):
        uses = re.findall(r"\$\{" + name + r"(:?[?-]?)[^}]*\}", raw)
        assert uses and all(op == ":?" for op in uses), f"{name} must be required wherever it is used"


@needs_compose
def test_mongo_root_and_application_user(resolved):
    mongo = resolved["services"]["mongo"]
    image, _, tag = mongo["image"].partition(":")
    assert image == "mongo" and re.fullmatch(r"\d+(\.\d+)*", tag), "pin the official image's major version"
    env = mongo["environment"]
    values = env_example()
    assert env["MONGO_INITDB_ROOT_USERNAME"] == values["MONGO_ROOT_USERNAME"]
    assert env["MONGO_INITDB_ROOT_PASSWORD"] == values["MONGO_ROOT_PASSWORD"]
    assert env["MONGO_APP_USERNAME"] == values["MONGO_APP_USERNAME"]
    assert env["MONGO_APP_PASSWORD"] == values["MONGO_APP_PASSWORD"]
    volumes = [str(v) for v in mongo["volumes"]]
    assert any(v.startswith("mongo-data:/data/db") for v in volumes)
    assert "mongo-data" in resolved["volumes"]
    assert any(v.endswith(":/docker-entrypoint-initdb.d:ro") and "docker/mongo-init" in v for v in volumes)
    script = MONGO_INIT.read_text(encoding="utf-8")
    assert "createUser" in script and "readWrite" in script
    for name in ("MONGO_APP_USERNAME", "MONGO_APP_PASSWORD", "MONGO_DATABASE"):
        assert name in script


@needs_compose
def test_scrapyd_has_auth_and_persistent_state(resolved):
    scrapyd = resolved["services"]["scrapyd"]
    env = scrapyd["environment"]
    values = env_example()
    # Scrapyd 1.6 reads these two variables itself (scrapyd/basicauth.py).
    assert env["SCRAPYD_USERNAME"] == values["SCRAPYD_USERNAME"]
    assert env["SCRAPYD_PASSWORD"] == values["SCRAPYD_PASSWORD"]
    assert env["MONGO_URI"].startswith(
        f"mongodb://{values['MONGO_APP_USERNAME']}:{values['MONGO_APP_PASSWORD']}@mongo:27017/"
    )
    assert scrapyd["build"]["dockerfile"] == "Dockerfile"
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in scrapyd["volumes"]}
    for path in ("/var/lib/scrapyd/dbs", "/var/lib/scrapyd/items", "/var/lib/scrapyd/logs",
                 "/var/lib/scrapyd/eggs"):
        assert mounts.get(path) in resolved["volumes"], f"{path} is not on a named volume"

    import configparser

    conf = configparser.ConfigParser()
    conf.read(SCRAPYD_CONF)
    section = conf["scrapyd"]
    assert section["bind_address"] == "0.0.0.0"
    assert section["jobstorage"] == "scrapyd.jobstorage.SqliteJobStorage"
    assert section["dbs_dir"] == "/var/lib/scrapyd/dbs"
    assert section["items_dir"] == "/var/lib/scrapyd/items"
    assert section["logs_dir"] == "/var/lib/scrapyd/logs"
    assert section["eggs_dir"] == "/var/lib/scrapyd/eggs"
    # No credential in the config file: they come from the environment.
    assert not section.get("username") and not section.get("password")


def test_scrapyd_entrypoint_refuses_to_start_without_auth():
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for extra in ({}, {"SCRAPYD_USERNAME": "user"}, {"SCRAPYD_PASSWORD": "secret"},
                  {"SCRAPYD_USERNAME": "us:er", "SCRAPYD_PASSWORD": "secret"}):
        result = subprocess.run(["sh", str(ENTRYPOINT)], env={**base, **extra},
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 64, (extra, result.stderr)
        assert "SCRAPYD_USERNAME" in result.stderr


@needs_compose
def test_healthchecks_and_startup_order(resolved):
    services = resolved["services"]
    assert "mongosh" in services["mongo"]["healthcheck"]["test"]
    assert "ping" in " ".join(services["mongo"]["healthcheck"]["test"])
    assert "kongblog-scrapyd-healthcheck" in " ".join(services["scrapyd"]["healthcheck"]["test"])
    expected = {"scrapyd": {"mongo"}, "crawl": {"mongo"}, "deploy": {"scrapyd"}}
    for name, needs in expected.items():
        depends_on = services[name]["depends_on"]
        assert set(depends_on) == needs
        for dependency in depends_on.values():
            assert dependency["condition"] == "service_healthy"
    for name in SERVICES - {"crawl", "deploy"}:
        assert "healthcheck" in services[name]


@needs_compose
def test_one_shot_crawl_and_deploy(resolved):
    crawl = resolved["services"]["crawl"]
    assert crawl["restart"] == "no" and crawl["profiles"] == ["crawl"]
    assert crawl["command"] == ["scrapy", "crawl", "kongblog", "-O", "/data/posts.jsonl"]
    assert any(str(v).startswith(f"{ROOT / 'data'}:/data") for v in crawl["volumes"])
    values = env_example()
    assert crawl["environment"]["MONGO_URI"].startswith(
        f"mongodb://{values['MONGO_APP_USERNAME']}:{values['MONGO_APP_PASSWORD']}@mongo:27017/"
    )

    deploy = resolved["services"]["deploy"]
    assert deploy["restart"] == "no"
    assert deploy["command"][:2] == ["scrapyd-deploy", "prod"]
    env = deploy["environment"]
    assert env["SCRAPYD_URL"] == "http://scrapyd:6800/"
    assert env["SCRAPYD_USERNAME"] == values["SCRAPYD_USERNAME"]
    assert env["SCRAPYD_PASSWORD"] == values["SCRAPYD_PASSWORD"]

    # scrapy.cfg's "prod" target takes exactly those variables.
    import configparser

    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "scrapy.cfg")
    assert dict(cfg["deploy:prod"]) == {
        "url": "${SCRAPYD_URL}", "username": "${SCRAPYD_USERNAME}", "password": "${SCRAPYD_PASSWORD}",
    }


def test_dockerfile_installs_requirements_and_chromium():
    text = DOCKERFILE.read_text(encoding="utf-8")
    instructions = [line.strip() for line in re.sub(r"\\\n", " ", text).splitlines()
                    if line.strip() and not line.lstrip().startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    assert any(line.startswith("COPY") and "requirements.txt" in line for line in instructions)
    assert any(line.startswith("RUN") and "pip install -r requirements.txt" in line for line in instructions)
    assert any(line.startswith("RUN") and "playwright install --with-deps chromium" in line
               for line in instructions)
    assert any(line.startswith("COPY docker/scrapyd.conf /etc/scrapyd/scrapyd.conf") for line in instructions)
    assert any(line.startswith("USER ") and line != "USER root" for line in instructions)
    dockerignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".git", ".venv", ".env", "data"):
        assert entry in dockerignore
