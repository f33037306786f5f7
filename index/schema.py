"""The schema of a bahth index. Which fields exist is backend-neutral (`FIELDS`,
`SCHEMA_VERSION`); how they are stored is the backend's: the Whoosh schema is built in
index/backend/whoosh/schema.py, re-exported here for the public API (`bahth.index.build_schema`)."""

from __future__ import annotations

from bahth.index.backend.whoosh.schema import (
    FIELDS,
    SCHEMA_VERSION,
    analyzer_from_settings,
    analyzer_settings,
    build_schema,
)

__all__ = ["FIELDS", "SCHEMA_VERSION", "analyzer_from_settings", "analyzer_settings", "build_schema"]
