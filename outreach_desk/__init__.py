"""Outreach Desk data core: domain model, encrypted store, change log and merge rules.

This package imports no Qt. The desktop client (``ui``) and the sync service (``sync``) use it
only through its public API: :class:`outreach_desk.store.Store` and the types in
:mod:`outreach_desk.model`.
"""

from importlib import metadata

try:  # one source of truth: pyproject.toml (the frozen build bundles this metadata too)
    __version__ = metadata.version("outreach-desk")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
