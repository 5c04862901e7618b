"""The docker compose stack, checked without a Docker engine.

``docker-compose config`` resolves docker-compose.yml with an env file
(interpolation, required variables, profiles) exactly as ``docker-compose
up`` would, and prints the result; these tests assert on that, on the raw
file and on the Dockerfile. The env file is .env.example with generated
secrets filled in, as a user makes it; .env.example itself, unedited, must be
refused. The secrets check every container runs before starting
(docker/check-secrets.sh) is run here with /bin/sh, directly and with the
environment compose resolves for each service. Skipped only when the
docker-compose binary itself is missing.
"""

from __future__ import annotations

import configparser
import json
import os
import posixpath
import re
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENTRYPOINT = ROOT / "docker" / "scrapyd-entrypoint.sh"
CHECK_SECRETS = ROOT / "docker" / "check-secrets.sh"
SCRAPYD_CONF = ROOT / "docker" / "scrapyd.conf"
SCRAPYD_LOCAL_CONF = ROOT / "docker" / "scrapyd-local.conf"
MONGO_INIT = ROOT / "docker" / "mongo-init" / "01-create-app-user.js"
NEW_ENV = ROOT / "scripts" / "new-env.sh"

DOCKER_COMPOSE = shutil.which("docker-compose")
needs_compose = pytest.mark.skipif(DOCKER_COMPOSE is None, reason="docker-compose binary not installed")

SERVICES = {"mongo", "scrapyd", "crawl", "deploy", "scheduler"}
PASSWORDS = ("MONGO_ROOT_PASSWORD", "MONGO_APP_PASSWORD", "SCRAPYD_PASSWORD")
# What .env.example held before its passwords were left empty: a .env copied
# from it then still has them, and they must not start anything.
OLD_PLACEHOLDERS = {
    "MONGO_ROOT_PASSWORD": "change-me-root-password",
    "MONGO_APP_PASSWORD": "change-me-app-password",
    "SCRAPYD_PASSWORD": "change-me-scrapyd-password",
}
# Secrets a user would generate (python3 -c 'import secrets; print(secrets.token_hex(24))').
FILLED = {name: secrets.token_hex(24) for name in PASSWORDS}
CHECK_EXIT = 64


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def filled_values() -> dict[str, str]:
    """.env.example with its passwords filled in with real secrets."""
    return {**env_example(), **FILLED}


def write_env(path: Path, values: dict[str, str]) -> Path:
    path.write_text("".join(f"{name}={value}\n" for name, value in values.items()), encoding="utf-8")
    return path


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


def resolve(env_file: Path) -> dict:
    result = compose("--profile", "crawl", "config", env_file=env_file)
    assert result.returncode == 0, result.stderr
    return load_yaml(result.stdout)


@pytest.fixture(scope="module")
def resolved(tmp_path_factory) -> dict:
    """docker-compose.yml as docker-compose resolves it with a filled-in
    .env, all profiles enabled."""
    return resolve(write_env(tmp_path_factory.mktemp("env") / ".env", filled_values()))


def run_check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """docker/check-secrets.sh with /bin/sh, as the containers run it, with
    only *env* (and PATH) in its environment."""
    return subprocess.run(
        ["/bin/sh", str(CHECK_SECRETS), *args],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def refused_variables(stderr: str) -> set[str]:
    """The variables named by the check's one-line refusals."""
    names = set()
    for line in stderr.splitlines():
        match = re.match(r"kongblog: refusing to start: ([A-Z_]+)\b", line)
        assert match, f"not a one-line refusal naming a variable: {line!r}"
        names.add(match.group(1))
    return names


# --- .env.example and compose's own checks ---------------------------------------------


@needs_compose
def test_unedited_env_example_is_refused(tmp_path):
    """cp .env.example .env, nothing edited: compose stops, naming the
    password to set (and where to get one); so it does for each password
    left empty."""
    values = env_example()
    assert {name: values[name] for name in PASSWORDS} == dict.fromkeys(PASSWORDS, "")
    result = compose("--profile", "crawl", "config", env_file=ENV_EXAMPLE)
    assert result.returncode != 0
    # docker-compose's message ends with the one of the first variable missing.
    assert result.stderr.rstrip().endswith(
        'in service "mongo": set MONGO_ROOT_PASSWORD in .env (see scripts/new-env.sh)'
    ), result.stderr

    for name in PASSWORDS:
        one_missing = write_env(tmp_path / f"{name}.env", {**filled_values(), name: ""})
        result = compose("--profile", "crawl", "config", env_file=one_missing)
        assert result.returncode != 0
        assert result.stderr.rstrip().endswith(f": set {name} in .env (see scripts/new-env.sh)"), result.stderr


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
    # Neither the old example passwords nor generated ones are written into
    # the file: they appear only after interpolation.
    for value in [*OLD_PLACEHOLDERS.values(), *FILLED.values()]:
        assert value not in raw
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


# --- docker/check-secrets.sh, directly -------------------------------------------------


def test_check_secrets_accepts_good_values_and_runs_the_command(tmp_path):
    marker = tmp_path / "ran"
    good = {
        "SCRAPYD_USERNAME": "kongblog", "SCRAPYD_PASSWORD": "p@ss word:" + "x" * 6,  # 16, not in a URI
        "MONGO_APP_USERNAME": "kongblog", "MONGO_APP_PASSWORD": FILLED["MONGO_APP_PASSWORD"],
        "MONGO_URI": f"mongodb://kongblog:{'a' * 16}@mongo:27017/kongblog?authSource=kongblog",
    }
    result = run_check(*good, "--", "/bin/sh", "-c", 'echo "$1" > "$2"', "sh", "hello", str(marker), env=good)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert marker.read_text() == "hello\n"
    # Without a command: exit 0, nothing run.
    assert run_check(*good, env=good).returncode == 0


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "is not set or empty"),
        (None, "is not set or empty"),
        ("a" * 15, "is shorter than 16 characters"),
        ("s3cr3t-Pw", "is shorter than 16 characters"),
        *[(value, "is a placeholder") for value in OLD_PLACEHOLDERS.values()],
        ("CHANGE-ME-0123456789abcdef", "is a placeholder"),
        ("my-changeme-0123456789abcdef", "is a placeholder"),
    ],
)
def test_check_secrets_refuses_weak_password(tmp_path, value, problem):
    marker = tmp_path / "ran"
    env = {"SCRAPYD_USERNAME": "kongblog"}
    if value is not None:
        env["SCRAPYD_PASSWORD"] = value
    result = run_check("SCRAPYD_USERNAME", "SCRAPYD_PASSWORD", "--", "touch", str(marker), env=env)
    assert result.returncode == CHECK_EXIT
    assert not marker.exists(), "the command ran despite the refusal"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"kongblog: refusing to start: SCRAPYD_PASSWORD {problem}"), lines
    if value:
        assert value not in result.stderr, "the message must not show the secret"


def test_check_secrets_refuses_every_value_of_env_example():
    """A value copied from .env.example (user names, ports, the contact URL)
    is no secret, whatever its length."""
    values = {value for value in env_example().values() if value}
    assert "https://github.com/kongblog/kongblog" in values
    for value in values:
        result = run_check("SCRAPYD_PASSWORD", env={"SCRAPYD_PASSWORD": value})
        assert result.returncode == CHECK_EXIT, value
        assert refused_variables(result.stderr) == {"SCRAPYD_PASSWORD"}, value


def test_check_secrets_exactly_sixteen_characters_pass():
    assert run_check("SCRAPYD_PASSWORD", env={"SCRAPYD_PASSWORD": "0123456789abcdef"}).returncode == 0


@pytest.mark.parametrize("bad", ["@", ":", "/", "?", "#", "%", " ", "+", "!"])
def test_check_secrets_refuses_what_breaks_a_mongodb_uri(bad):
    password = "0123456789abcdef" + bad
    result = run_check("MONGO_APP_USERNAME", "MONGO_APP_PASSWORD",
                       env={"MONGO_APP_USERNAME": "kong" + bad, "MONGO_APP_PASSWORD": password})
    assert result.returncode == CHECK_EXIT
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("kongblog: refusing to start: MONGO_APP_USERNAME ")
    assert lines[1].startswith("kongblog: refusing to start: MONGO_APP_PASSWORD has characters that break "
                               "a mongodb:// URI")
    # The Scrapyd password is no URI part: the same characters are fine there.
    assert run_check("SCRAPYD_PASSWORD", env={"SCRAPYD_PASSWORD": password}).returncode == 0


def test_check_secrets_user_names():
    assert run_check("SCRAPYD_USERNAME", env={"SCRAPYD_USERNAME": "kong:blog"}).stderr == (
        "kongblog: refusing to start: SCRAPYD_USERNAME must not contain ':'\n"
    )
    assert refused_variables(run_check("MONGO_ROOT_USERNAME", env={}).stderr) == {"MONGO_ROOT_USERNAME"}
    # A user name is not a secret: short is fine.
    assert run_check("MONGO_ROOT_USERNAME", env={"MONGO_ROOT_USERNAME": "root"}).returncode == 0


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("mongodb://kongblog:0123456789abcdef@mongo:27017/kongblog?authSource=kongblog", None),
        ("mongodb://kongblog:change-me-app-password@mongo:27017/kongblog", "(its password) is a placeholder"),
        ("mongodb://kongblog:short@mongo:27017/kongblog", "(its password) is shorter than 16 characters"),
        ("mongodb://kongblog:@mongo:27017/kongblog", "(its password) is not set or empty"),
        ("mongodb://mongo:27017/kongblog", "has no user:password@"),
        ("mongodb://kongblog:0123456789abcdef@x@mongo:27017/kongblog", "(its password) has characters"),
        ("", "is not set or empty"),
    ],
)
def test_check_secrets_mongo_uri(uri, problem):
    result = run_check("MONGO_URI", env={"MONGO_URI": uri})
    if problem is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == CHECK_EXIT
    assert result.stderr.startswith(f"kongblog: refusing to start: MONGO_URI {problem}"), result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_check_secrets_names_every_bad_variable_once():
    env = {"MONGO_ROOT_PASSWORD": "short", "MONGO_APP_PASSWORD": OLD_PLACEHOLDERS["MONGO_APP_PASSWORD"],
           "SCRAPYD_PASSWORD": FILLED["SCRAPYD_PASSWORD"]}
    result = run_check(*PASSWORDS, env=env)
    assert result.returncode == CHECK_EXIT
    assert result.stderr.splitlines() == [
        "kongblog: refusing to start: MONGO_ROOT_PASSWORD is shorter than 16 characters; generate one with: "
        "python3 -c 'import secrets; print(secrets.token_hex(24))'",
        "kongblog: refusing to start: MONGO_APP_PASSWORD is a placeholder (an example value); generate one with: "
        "python3 -c 'import secrets; print(secrets.token_hex(24))'",
    ]


# --- every container runs the check -------------------------------------------------------


def fake_bin(tmp_path: Path) -> Path:
    """A PATH folder with the image's kongblog-check-secrets (the script
    from docker/) and a stand-in scrapyd that reports it was started."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {
        "kongblog-check-secrets": f'exec /bin/sh "{CHECK_SECRETS}" "$@"\n',
        "scrapyd": 'echo "scrapyd started $*"\n',
    }.items():
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    return bin_dir


def start_service(service_name: str, service: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    """What the service's container does first, with the environment compose
    resolved for it: its check, and then (stand-in) its command."""
    env = {key: str(value) for key, value in service.get("environment", {}).items()}
    entrypoint = service.get("entrypoint")
    if service_name == "scrapyd":
        # The image's CMD: docker/scrapyd-entrypoint.sh, installed as kongblog-scrapyd.
        assert entrypoint is None and "command" not in service
        env["PATH"] = f"{fake_bin(tmp_path)}:{os.environ.get('PATH', '/usr/bin:/bin')}"
        env["KONGBLOG_SCRAPYD_HOME"] = str(tmp_path)
        return subprocess.run(["/bin/sh", str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=30)
    if service_name == "mongo":
        # The official image's entrypoint, wrapped: sh /opt/kongblog/check-secrets.sh NAMES... -- docker-entrypoint.sh
        assert entrypoint[:2] == ["sh", "/opt/kongblog/check-secrets.sh"]
        assert entrypoint[entrypoint.index("--"):] == ["--", "docker-entrypoint.sh"]
        assert service["command"] == ["mongod"]
        assert any(str(volume) == f"{CHECK_SECRETS}:/opt/kongblog/check-secrets.sh:ro"
                   for volume in service["volumes"]), service["volumes"]
        names = entrypoint[2:entrypoint.index("--")]
    else:
        # kongblog-check-secrets NAMES... -- then the service's command.
        assert entrypoint[0] == "kongblog-check-secrets" and entrypoint[-1] == "--", entrypoint
        names = entrypoint[1:-1]
    return run_check(*names, "--", "echo", "started", env=env)


EXPECTED_CHECKS = {
    "mongo": {"MONGO_INITDB_ROOT_PASSWORD", "MONGO_APP_PASSWORD"},
    "scrapyd": {"SCRAPYD_PASSWORD", "MONGO_URI"},
    "deploy": {"SCRAPYD_PASSWORD"},
    "crawl": {"MONGO_URI"},
    "scheduler": {"SCRAPYD_PASSWORD"},
}


@needs_compose
@pytest.mark.parametrize(
    "weak",
    [OLD_PLACEHOLDERS, {name: "0123456789abcde" for name in PASSWORDS}],
    ids=["old-change-me-placeholders", "15-characters"],
)
def test_every_container_refuses_weak_secrets(tmp_path, weak):
    """compose's interpolation can only refuse unset or empty variables: a
    .env with placeholders or short passwords passes `docker-compose config`,
    and then every service that takes a secret refuses to start, naming it."""
    resolved = resolve(write_env(tmp_path / ".env", {**env_example(), **weak}))
    for name, expected in EXPECTED_CHECKS.items():
        service_tmp = tmp_path / name
        service_tmp.mkdir()
        result = start_service(name, resolved["services"][name], service_tmp)
        assert result.returncode == CHECK_EXIT, (name, result.stdout, result.stderr)
        assert "started" not in result.stdout
        assert refused_variables(result.stderr) == expected, (name, result.stderr)


@needs_compose
def test_every_container_starts_with_real_secrets(resolved, tmp_path):
    for name in EXPECTED_CHECKS:
        service_tmp = tmp_path / name
        service_tmp.mkdir()
        result = start_service(name, resolved["services"][name], service_tmp)
        assert result.returncode == 0, (name, result.stderr)
        assert result.stderr == ""
        assert result.stdout == ("scrapyd started \n" if name == "scrapyd" else "started\n")


def test_scrapyd_entrypoint_refuses_to_start_without_auth(tmp_path):
    base = {"PATH": f"{fake_bin(tmp_path)}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "KONGBLOG_SCRAPYD_HOME": str(tmp_path)}
    strong = FILLED["SCRAPYD_PASSWORD"]
    cases = [
        ({}, {"SCRAPYD_USERNAME", "SCRAPYD_PASSWORD"}),
        ({"SCRAPYD_USERNAME": "user"}, {"SCRAPYD_PASSWORD"}),
        ({"SCRAPYD_PASSWORD": strong}, {"SCRAPYD_USERNAME"}),
        ({"SCRAPYD_USERNAME": "us:er", "SCRAPYD_PASSWORD": strong}, {"SCRAPYD_USERNAME"}),
        ({"SCRAPYD_USERNAME": "user", "SCRAPYD_PASSWORD": "secret"}, {"SCRAPYD_PASSWORD"}),
        ({"SCRAPYD_USERNAME": "user", "SCRAPYD_PASSWORD": strong,
          "MONGO_URI": "mongodb://kongblog:change-me-app-password@mongo:27017/kongblog"}, {"MONGO_URI"}),
    ]
    for extra, expected in cases:
        result = subprocess.run(["/bin/sh", str(ENTRYPOINT)], env={**base, **extra},
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == CHECK_EXIT, (extra, result.stderr)
        assert refused_variables(result.stderr) == expected, (extra, result.stderr)
        assert "scrapyd started" not in result.stdout
    # Without MONGO_URI (Scrapyd outside compose) only the credentials count.
    started = subprocess.run(["/bin/sh", str(ENTRYPOINT), "--version"],
                             env={**base, "SCRAPYD_USERNAME": "user", "SCRAPYD_PASSWORD": strong},
                             capture_output=True, text=True, timeout=30)
    assert started.returncode == 0, started.stderr
    assert started.stdout == "scrapyd started --version\n"
    assert {path.name for path in tmp_path.iterdir()} >= {"eggs", "dbs", "logs", "items"}


# --- scripts/new-env.sh -------------------------------------------------------------------


@needs_compose
def test_new_env_script_writes_fresh_secrets(tmp_path):
    target = tmp_path / ".env"
    result = subprocess.run(["/bin/sh", str(NEW_ENV), str(target)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    written = [line for line in target.read_text().splitlines()]
    example = ENV_EXAMPLE.read_text().splitlines()
    assert len(written) == len(example)
    values = {}
    for got, template in zip(written, example):
        name = template.partition("=")[0]
        if name in PASSWORDS:
            assert re.fullmatch(rf"{name}=[0-9a-f]{{48}}", got), got
            values[name] = got.partition("=")[2]
        elif name == "KONGBLOG_UID":
            assert got == f"KONGBLOG_UID={os.getuid()}"
        elif name == "KONGBLOG_GID":
            assert got == f"KONGBLOG_GID={os.getgid()}"
        else:
            assert got == template
    assert set(values) == set(PASSWORDS) and len(set(values.values())) == len(PASSWORDS)
    assert run_check(*PASSWORDS, env=values).returncode == 0
    assert compose("--profile", "crawl", "config", env_file=target).returncode == 0

    # Never replaces an existing .env (MongoDB keeps the passwords of its first start).
    before = target.read_text()
    again = subprocess.run(["/bin/sh", str(NEW_ENV), str(target)], capture_output=True, text=True, timeout=30)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert target.read_text() == before


# --- the services -----------------------------------------------------------------------------


@needs_compose
def test_mongo_root_and_application_user(resolved):
    mongo = resolved["services"]["mongo"]
    image, _, tag = mongo["image"].partition(":")
    assert image == "mongo" and re.fullmatch(r"\d+(\.\d+)*", tag), "pin the official image's major version"
    env = mongo["environment"]
    values = filled_values()
    assert env["MONGO_INITDB_ROOT_USERNAME"] == values["MONGO_ROOT_USERNAME"]
    assert env["MONGO_INITDB_ROOT_PASSWORD"] == values["MONGO_ROOT_PASSWORD"]
    assert env["MONGO_APP_USERNAME"] == values["MONGO_APP_USERNAME"]
    assert env["MONGO_APP_PASSWORD"] == values["MONGO_APP_PASSWORD"]
    volumes = [str(v) for v in mongo["volumes"]]
    assert any(v.startswith("mongo-data:/data/db") for v in volumes)
    assert "mongo-data" in resolved["volumes"]
    assert any(v.endswith(":/docker-entrypoint-initdb.d:ro") and "docker/mongo-init" in v for v in volumes)
    assert mongo["entrypoint"] == [
        "sh", "/opt/kongblog/check-secrets.sh",
        "MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD", "MONGO_APP_USERNAME", "MONGO_APP_PASSWORD",
        "--", "docker-entrypoint.sh",
    ]
    script = MONGO_INIT.read_text(encoding="utf-8")
    assert "createUser" in script and "readWrite" in script
    for name in ("MONGO_APP_USERNAME", "MONGO_APP_PASSWORD", "MONGO_DATABASE"):
        assert name in script


@needs_compose
def test_scrapyd_has_auth_and_persistent_state(resolved):
    scrapyd = resolved["services"]["scrapyd"]
    env = scrapyd["environment"]
    values = filled_values()
    # Scrapyd 1.6 reads these two variables itself (scrapyd/basicauth.py).
    assert env["SCRAPYD_USERNAME"] == values["SCRAPYD_USERNAME"]
    assert env["SCRAPYD_PASSWORD"] == values["SCRAPYD_PASSWORD"]
    assert env["MONGO_URI"] == (
        f"mongodb://{values['MONGO_APP_USERNAME']}:{values['MONGO_APP_PASSWORD']}@mongo:27017/"
        "kongblog?authSource=kongblog"
    )
    assert scrapyd["build"]["dockerfile"] == "Dockerfile"
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in scrapyd["volumes"]}
    for path in ("/var/lib/scrapyd/dbs", "/var/lib/scrapyd/items", "/var/lib/scrapyd/logs",
                 "/var/lib/scrapyd/eggs"):
        assert mounts.get(path) in resolved["volumes"], f"{path} is not on a named volume"

    conf = configparser.ConfigParser(interpolation=None)
    conf.read(SCRAPYD_CONF)
    section = conf["scrapyd"]
    assert section["bind_address"] == "0.0.0.0"
    assert section["jobstorage"] == "scrapyd.jobstorage.SqliteJobStorage"
    assert section["dbs_dir"] == "/var/lib/scrapyd/dbs"
    assert section["items_dir"] == "/var/lib/scrapyd/items"
    assert section["logs_dir"] == "/var/lib/scrapyd/logs"
    assert section["eggs_dir"] == "/var/lib/scrapyd/eggs"
    # Authentication required, credentials kept from jobs, Host / Origin checked
    # (docker/kongblog_scrapyd.py; tests/test_scrapyd.py runs them).
    assert section["application"] == "kongblog_scrapyd.application"
    assert section["webroot"] == "kongblog_scrapyd.Root"
    # Loopback, and the service's name on the compose network (the deploy service's URL).
    assert section["allowed_hosts"].split() == ["127.0.0.1", "localhost", "::1", "scrapyd"]
    assert resolved["services"]["deploy"]["environment"]["SCRAPYD_URL"] == "http://scrapyd:6800/"
    # No credential in the config file: they come from the environment.
    assert not section.get("username") and not section.get("password")

    # The configuration scripts/scrapyd-local.sh gives a Scrapyd on your machine.
    local = configparser.ConfigParser(interpolation=None)
    local.read(SCRAPYD_LOCAL_CONF)
    expected = {
        "bind_address": "127.0.0.1", "application": "kongblog_scrapyd.application",
        "webroot": "kongblog_scrapyd.Root", "allowed_hosts": "127.0.0.1 localhost ::1",
        "username": "", "password": "",
    }
    assert {key: local["scrapyd"].get(key) for key in expected} == expected


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
    # The scheduler starts crawls once the project is on Scrapyd.
    assert services["scheduler"]["depends_on"] == {"deploy": {"condition": "service_completed_successfully"}}
    for name in SERVICES - {"crawl", "deploy"}:
        assert "healthcheck" in services[name]


@needs_compose
def test_one_shot_crawl_and_deploy(resolved):
    crawl = resolved["services"]["crawl"]
    assert crawl["restart"] == "no" and crawl["profiles"] == ["crawl"]
    assert crawl["entrypoint"] == ["kongblog-check-secrets", "MONGO_URI", "--"]
    assert crawl["command"] == ["scrapy", "crawl", "kongblog", "-O", "/data/posts.jsonl"]
    assert any(str(v).startswith(f"{ROOT / 'data'}:/data") for v in crawl["volumes"])
    values = filled_values()
    assert crawl["environment"]["MONGO_URI"].startswith(
        f"mongodb://{values['MONGO_APP_USERNAME']}:{values['MONGO_APP_PASSWORD']}@mongo:27017/"
    )

    deploy = resolved["services"]["deploy"]
    assert deploy["restart"] == "no"
    assert deploy["entrypoint"] == ["kongblog-check-secrets", "SCRAPYD_USERNAME", "SCRAPYD_PASSWORD", "--"]
    assert deploy["command"][:2] == ["scrapyd-deploy", "prod"]
    env = deploy["environment"]
    assert env["SCRAPYD_URL"] == "http://scrapyd:6800/"
    assert env["SCRAPYD_USERNAME"] == values["SCRAPYD_USERNAME"]
    assert env["SCRAPYD_PASSWORD"] == values["SCRAPYD_PASSWORD"]

    # scrapy.cfg's targets take the credentials from those variables: "prod"
    # (and its URL), and the default one, for the local Scrapyd.
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "scrapy.cfg")
    assert dict(cfg["deploy:prod"]) == {
        "url": "${SCRAPYD_URL}", "username": "${SCRAPYD_USERNAME}", "password": "${SCRAPYD_PASSWORD}",
    }
    assert dict(cfg["deploy"]) == {
        "url": "http://127.0.0.1:6800/", "project": "kongblog",
        "username": "${SCRAPYD_USERNAME}", "password": "${SCRAPYD_PASSWORD}",
    }


@needs_compose
def test_scheduler_service(resolved, tmp_path):
    """BusyBox crond (docker/scheduler-entrypoint.sh; tests/test_scheduler.py runs it) calling schedule.json
    with the Scrapyd credentials, on the schedules of .env; and the HTTP cache kept on a volume."""
    scheduler = resolved["services"]["scheduler"]
    values = filled_values()
    assert scheduler["entrypoint"] == ["kongblog-check-secrets", "SCRAPYD_USERNAME", "SCRAPYD_PASSWORD", "--"]
    assert scheduler["command"] == ["kongblog-scheduler"]
    assert scheduler["restart"] == "unless-stopped" and "ports" not in scheduler and "volumes" not in scheduler
    env = scheduler["environment"]
    assert env["SCRAPYD_URL"] == "http://scrapyd:6800/"
    assert (env["SCRAPYD_USERNAME"], env["SCRAPYD_PASSWORD"]) == (values["SCRAPYD_USERNAME"], values["SCRAPYD_PASSWORD"])
    assert env["KONGBLOG_INCREMENTAL_SCHEDULE"] == values["KONGBLOG_INCREMENTAL_SCHEDULE"] == "0 * * * *"
    assert env["KONGBLOG_FULL_SCHEDULE"] == values["KONGBLOG_FULL_SCHEDULE"] == "30 3 * * *"
    assert scheduler["healthcheck"]["test"] == ["CMD", "busybox", "pidof", "crond"]

    # Other schedules from .env; an empty one turns that crawl off.
    changed = resolve(write_env(tmp_path / ".env", {**filled_values(), "KONGBLOG_INCREMENTAL_SCHEDULE": "*/15 * * * *",
                                                    "KONGBLOG_FULL_SCHEDULE": ""}))  # fmt: skip
    env = changed["services"]["scheduler"]["environment"]
    assert (env["KONGBLOG_INCREMENTAL_SCHEDULE"], env["KONGBLOG_FULL_SCHEDULE"]) == ("*/15 * * * *", "")

    scrapyd = resolved["services"]["scrapyd"]
    assert scrapyd["environment"]["KONGBLOG_HTTPCACHE_DIR"] == "/var/lib/scrapyd/httpcache"
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in scrapyd["volumes"]}
    assert mounts["/var/lib/scrapyd/httpcache"] in resolved["volumes"]
    crawl = resolved["services"]["crawl"]
    assert crawl["environment"]["KONGBLOG_HTTPCACHE_DIR"] == "/data/httpcache"  # ./data, kept between runs
    for service in (scrapyd, crawl):
        assert service["environment"]["KONGBLOG_NOTIFY"] == "" and service["environment"]["KONGBLOG_HTTPCACHE"] == "1"

    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "busybox-static" in text
    assert "COPY docker/scheduler-entrypoint.sh /usr/local/bin/kongblog-scheduler" in text
    assert "COPY docker/schedule-crawl.py /usr/local/bin/kongblog-schedule-crawl" in text


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
    # What the services run: the check, Scrapyd's entrypoint (the image's
    # CMD) and Scrapyd's hooks, importable from site-packages.
    assert "COPY docker/check-secrets.sh /usr/local/bin/kongblog-check-secrets" in instructions
    assert "COPY docker/scrapyd-entrypoint.sh /usr/local/bin/kongblog-scrapyd" in instructions
    assert instructions[-1] == 'CMD ["kongblog-scrapyd"]'
    assert "COPY docker/kongblog_scrapyd.py /tmp/kongblog_scrapyd.py" in instructions
    assert any(line.startswith("RUN install -m 0644 /tmp/kongblog_scrapyd.py") and 'get_path("purelib")' in line
               and "python -c 'import kongblog_scrapyd'" in line for line in instructions)


# --- .dockerignore, matched the way Docker matches it --------------------------------------


def dockerignore_rules(text: str) -> list[tuple[bool, re.Pattern]]:
    """(exclusion, regex) per pattern, as moby/patternmatcher reads a
    .dockerignore: '#' lines skipped, whitespace trimmed, a leading '!'
    negates, the path is cleaned (filepath.Clean) and a leading '/' dropped.
    Go's filepath.Match syntax: '*' and '?' stay within one path segment,
    [...] is a class, '\\' escapes; '**' matches any number of segments, zero
    included ('**/' at the start also matches at the root)."""
    rules = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        exclusion = pattern.startswith("!")
        if exclusion:
            pattern = pattern[1:].strip()
        pattern = posixpath.normpath(pattern)
        if len(pattern) > 1 and pattern.startswith("/"):
            pattern = pattern[1:]
        regex, i = "^", 0
        while i < len(pattern):
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    i += 1
                regex += ".*" if i == len(pattern) else "(.*/)?"
                continue
            char = pattern[i]
            if char == "*":
                regex += "[^/]*"
            elif char == "?":
                regex += "[^/]"
            elif char == "\\" and i + 1 < len(pattern):
                i += 1
                regex += re.escape(pattern[i])
            elif char in "[]":
                regex += char
            else:
                regex += re.escape(char)
            i += 1
        rules.append((exclusion, re.compile(regex + "$")))
    return rules


def docker_ignores(path: str, rules: list[tuple[bool, re.Pattern]]) -> bool:
    """moby/patternmatcher's MatchesOrParentMatches: the last pattern that
    matches the path, or one of its parent folders, decides."""
    parents = path.split("/")[:-1]
    ignored = False
    for exclusion, regex in rules:
        if exclusion != ignored:
            continue
        if regex.match(path) or any(regex.match("/".join(parents[: i + 1])) for i in range(len(parents))):
            ignored = not exclusion
    return ignored


def test_dockerignore_matcher_follows_docker():
    """The matcher above on Docker's documented cases, and on the old
    .dockerignore's bug: a bare '.env' matches the root one only."""
    rules = dockerignore_rules("*/temp*\n*/*/temp*\ntemp?\n**/*.go\n!keep.go\n")
    assert docker_ignores("somedir/temporary.txt", rules)
    assert docker_ignores("somedir/subdir/temp", rules)
    assert docker_ignores("temp1", rules) and not docker_ignores("temp12", rules)
    assert docker_ignores("a/b/c.go", rules) and docker_ignores("c.go", rules)
    assert not docker_ignores("keep.go", rules)
    old = dockerignore_rules(".env\n.env.*\n!.env.example\n")
    assert docker_ignores(".env", old) and not docker_ignores("sub/.env", old)


def test_dockerignore_keeps_env_files_out_at_any_depth():
    rules = dockerignore_rules(DOCKERIGNORE.read_text(encoding="utf-8"))
    for path in (".env", ".env.local", "sub/.env", "a/b/.env.local", "docker/.env", "kongblog/.env.prod",
                 ".git/config", ".venv/bin/python", "data/posts.jsonl", "tests/test_compose.py"):
        assert docker_ignores(path, rules), f"{path} would be sent to the Docker build"
    for path in (".env.example", "Dockerfile", "setup.py", "scrapy.cfg", "requirements.txt",
                 "requirements-dev.txt", "kongblog/settings.py", "kongblog/schemas/post.json",
                 "docker/check-secrets.sh", "docker/kongblog_scrapyd.py", "docker/scrapyd.conf",
                 "docker/scrapyd-entrypoint.sh", "docker/scrapyd-healthcheck.py"):
        assert not docker_ignores(path, rules), f"{path} is needed by the Docker build"
