"""Outreach Desk data core: domain model, encrypted store, change log and merge rules.

This package imports no Qt. The desktop client (``ui``) and the sync service (``sync``) use it
only through its public API: :class:`outreach_desk.store.Store` and the types in
:mod:`outreach_desk.model`.
"""

__version__ = "0.1.0"
