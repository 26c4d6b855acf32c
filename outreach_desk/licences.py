"""The licences of what the app ships, read from the installed distributions (importlib.metadata).

``licence_entries()`` walks the app's own requirements (not its test or build extras) to every
distribution it pulls in and returns, for each, the declared licence (``License-Expression``,
``License`` or the licence classifiers) and the text of every licence file the distribution
ships. The frozen build writes them to ``licences.json`` (``write_licences``) because a frozen
app has no installed distributions to ask; from source they are read at run time.
"""

from __future__ import annotations

import json
import logging
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from .atomic import write_atomic

log = logging.getLogger(__name__)

APP_DISTRIBUTION = "outreach-desk"
LICENCES_FILE = "licences.json"
# what only the central server needs: the desktop build leaves these out
SERVER_ONLY = frozenset({"fastapi", "uvicorn", "sqlalchemy", "alembic"})
_LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundled_distributions(root: str = APP_DISTRIBUTION) -> list[metadata.Distribution]:
    """``root`` and every distribution its (non-extra) requirements pull in, except those only
    the server needs, sorted by name."""
    found: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = _canonical(pending.pop())
        if name in found or name in SERVER_ONLY:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency for another platform
        found[name] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return sorted(found.values(), key=lambda d: _canonical(d.metadata["Name"]))


def _declared(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    declared = meta.get("License-Expression") or ""
    if not declared:
        text = (meta.get("License") or "").strip()
        declared = text if text and "\n" not in text and len(text) < 120 else ""
    if not declared:
        classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        declared = ", ".join(classifiers)
    return declared or "see the licence text"


def _texts(dist: metadata.Distribution) -> list[dict[str, str]]:
    texts = []
    for file in dist.files or []:
        if _LICENCE_FILE.search(str(file)) and not str(file).endswith((".py", ".pyc")):
            try:
                texts.append({"file": Path(str(file)).name, "text": file.read_text("utf-8")})
            except (OSError, UnicodeDecodeError):
                log.warning("licence file not readable: %s", file)
    return texts


def _homepage(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("Home-page"):
        return meta["Home-page"]
    for url in meta.get_all("Project-URL") or []:
        label, _, address = url.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return address.strip()
    return ""


def distributions_of_modules(modules: set[str]) -> list[metadata.Distribution]:
    """The installed distributions that provide these top-level modules (what a build
    actually collected)."""
    providers = metadata.packages_distributions()
    names = {name for module in modules for name in providers.get(module, ())}
    return sorted((metadata.distribution(name) for name in names),
                  key=lambda d: _canonical(d.metadata["Name"]))


def licence_entries(dists: list[metadata.Distribution] | None = None) -> list[dict]:
    """One entry per shipped distribution (the app itself excluded), plus the interpreter."""
    entries = [
        {"name": dist.metadata["Name"], "version": dist.version, "licence": _declared(dist),
         "homepage": _homepage(dist), "texts": _texts(dist)}
        for dist in (bundled_distributions() if dists is None else dists)
        if _canonical(dist.metadata["Name"]) != APP_DISTRIBUTION
    ]
    python_licence = Path(sys.base_prefix, "lib", f"python{sys.version_info[0]}."
                          f"{sys.version_info[1]}", "LICENSE.txt")
    entries.append({
        "name": "Python", "version": platform.python_version(), "licence": "PSF-2.0",
        "homepage": "https://www.python.org/",
        "texts": [{"file": "LICENSE.txt", "text": python_licence.read_text("utf-8")}]
        if python_licence.exists() else [],
    })
    return entries


def write_licences(path: Path, dists: list[metadata.Distribution] | None = None) -> None:
    entries = licence_entries(dists)
    write_atomic(path, json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))


def load_licences(bundled: Path | None = None) -> list[dict]:
    """The list written at build time when ``bundled`` exists, else read from the
    installed distributions now."""
    if bundled is not None and bundled.exists():
        return json.loads(bundled.read_text("utf-8"))
    return licence_entries()


__all__ = ["LICENCES_FILE", "bundled_distributions", "distributions_of_modules",
           "licence_entries", "load_licences", "write_licences"]
