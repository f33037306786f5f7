"""The backend seam: what every storage engine behind bahth provides.

`plan` holds the backend-neutral query plan the query language compiles to; each backend
(one folder: `whoosh/`, later others) lowers it to its own queries and owns every import of
its engine.
"""
