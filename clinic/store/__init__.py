"""The only layer that writes SQL: connections, migrations, seeds and named queries."""

from clinic.store.connection import Store, open_store

__all__ = ["Store", "open_store"]
