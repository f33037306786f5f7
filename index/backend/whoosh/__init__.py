"""The Whoosh backend: the only place that imports Whoosh."""
