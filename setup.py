"""Packaging for kongblog, shaped for Scrapyd.

``scrapyd-deploy`` runs ``setup.py bdist_egg`` in this folder and uploads the
egg; Scrapyd finds the project's settings module through the ``scrapy`` entry
point below. Runtime dependencies have one source, ``requirements.txt``; this
file reads them, it never repeats them.

Nothing here imports kongblog (the version is read as text), so building the
egg needs neither the runtime dependencies nor any environment variable.
"""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent


def read_requirements(path: Path) -> list[str]:
    """Requirement lines of *path*: comments, blanks and pip options dropped."""
    requirements = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirements.append(line)
    return requirements


def read_version() -> str:
    text = (HERE / "kongblog" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise RuntimeError("kongblog/__init__.py has no __version__")
    return match.group(1)


setup(
    name="kongblog",
    version=read_version(),
    description="The Kong engineering blog as clean, deduplicated data (a Scrapy project).",
    python_requires=">=3.11",
    packages=find_packages(include=["kongblog", "kongblog.*"]),
    # The JSON Schemas are read at run time with importlib.resources, so they
    # must travel inside the egg / wheel.
    package_data={"kongblog": ["schemas/*.json"]},
    install_requires=read_requirements(HERE / "requirements.txt"),
    entry_points={"scrapy": ["settings = kongblog.settings"]},
    # Scrapyd imports the egg as a zip; the package reads its data files
    # through importlib.resources, which works from a zip.
    zip_safe=True,
)
