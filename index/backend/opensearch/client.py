"""The connection to an OpenSearch cluster: the only module of bahth that imports opensearch-py.

``connect(location)`` gives an ``opensearchpy.OpenSearch`` client for ``location.url`` (one URL,
or several node URLs separated by commas: the client spreads requests over them and, when one
stops answering, goes on with the others), after one cheap request that proves the cluster
answers (bounded: at most ``CONNECT_TIMEOUT`` seconds per attempt, ``MAX_RETRIES`` retries).

Credentials never come from the command line (they would show in `ps` and shell histories):

| environment variable | meaning |
|---|---|
| ``BAHTH_OPENSEARCH_USER``, ``BAHTH_OPENSEARCH_PASSWORD`` | HTTP basic authentication (security plugin users) |
| ``BAHTH_OPENSEARCH_API_KEY`` | sent as ``Authorization: ApiKey <key>`` (the security plugin's API keys) |
| ``BAHTH_OPENSEARCH_CA`` | PEM file of the CA that signed the cluster's certificate (``https://`` URLs) |

Certificates are always verified (system CAs, or ``BAHTH_OPENSEARCH_CA``).

Every exception of opensearch-py becomes a typed bahth error (``translate``; use
``errors_mapped(where, action)`` around calls): unreachable, timed out, TLS failed, overloaded
-> ``BackendUnavailableError``; 401/403 -> ``BackendAuthError``; any other refusal ->
``BackendError`` with the cluster's own reason. The CLI prints such an error as one line and
exits 2. opensearch-py's own log lines (a warning per failed request) are silenced here: the
error says it once.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import opensearchpy
from opensearchpy import exceptions as os_errors  # re-exported: the adapter's other modules catch these

__all__ = ["CONNECT_TIMEOUT", "DEFAULT_NAME", "REQUEST_TIMEOUT", "connect", "errors_mapped", "index_name", "node_urls",
           "os_errors", "translate", "where"]

from bahth.index.errors import BackendAuthError, BackendError, BackendUnavailableError, BahthError, UsageError

DEFAULT_NAME = "bahth"  # the index name when --name is not given
CONNECT_TIMEOUT = 10.0  # seconds: the first request, which proves the cluster answers
REQUEST_TIMEOUT = 120.0  # seconds: any later request (a bulk request waits for a replica to be promoted)
MAX_RETRIES = 2  # on a connection error or a 502/503/504, to the next node URL when there are several

ENV_USER = "BAHTH_OPENSEARCH_USER"
ENV_PASSWORD = "BAHTH_OPENSEARCH_PASSWORD"
ENV_API_KEY = "BAHTH_OPENSEARCH_API_KEY"
ENV_CA = "BAHTH_OPENSEARCH_CA"

# OpenSearch's rules for index names (lowercase, none of these characters, no leading -_+).
_BAD_NAME = re.compile(r'[\\/*?"<>| ,#:A-Z]|^[-_+]|^\.\.?$')
_REASON_LIMIT = 300

for _name in ("opensearch", "opensearchpy"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def index_name(location: Any) -> str:
    """The index name of ``location`` (``DEFAULT_NAME`` when none); UsageError when OpenSearch
    would refuse it."""
    name = getattr(location, "name", None) or DEFAULT_NAME
    if _BAD_NAME.search(name) or len(name.encode("utf-8")) > 200:
        raise UsageError(f"{name!r} cannot name an OpenSearch index: use lowercase letters, digits, '-', '_' and '.' "
                         "(not first), at most 200 bytes")
    return name


def node_urls(location: Any) -> list[str]:
    """The URLs in ``location.url`` (comma-separated); UsageError when missing or not http(s)."""
    raw = getattr(location, "url", None) or ""
    urls = [part.strip() for part in raw.split(",") if part.strip()]
    if not urls:
        raise UsageError("the opensearch backend needs the cluster's URL: --url URL (or BAHTH_URL, or url in the "
                         "config file's [index] table)")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{url!r} is not a cluster URL: expected http://HOST:PORT or https://HOST:PORT")
    return urls


def shown(url: str) -> str:
    """``url`` without user:password@ (never printed)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def where(location: Any) -> str:
    """How messages name the cluster of ``location``."""
    return ",".join(shown(url) for url in node_urls(location))


def auth_options(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments of ``opensearchpy.OpenSearch`` for the credentials and CA in ``env``."""
    env = os.environ if env is None else env
    user, password, api_key, ca = (env.get(name) or None for name in (ENV_USER, ENV_PASSWORD, ENV_API_KEY, ENV_CA))
    options: dict[str, Any] = {}
    if api_key and (user or password):
        raise UsageError(f"set either {ENV_API_KEY} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if (user is None) != (password is None):
        missing = ENV_PASSWORD if password is None else ENV_USER
        raise UsageError(f"{ENV_USER} and {ENV_PASSWORD} go together: {missing} is not set")
    if user is not None:
        options["http_auth"] = (user, password)
    if api_key:
        options["headers"] = {"Authorization": f"ApiKey {api_key}"}
    if ca:
        if not Path(ca).is_file():
            raise UsageError(f"{ENV_CA}={ca}: no such file (a PEM file of the CA that signed the cluster's certificate)")
        options["ca_certs"] = ca
    return options


def connect(location: Any, *, env: Mapping[str, str] | None = None, check: bool = True) -> opensearchpy.OpenSearch:
    """A client for the cluster of ``location`` (bahth.index.backend.location.Location, or any
    object with ``url``). With ``check``, one request first proves that the cluster answers and
    accepts the credentials: BackendUnavailableError / BackendAuthError otherwise, within
    about ``(MAX_RETRIES + 1) * CONNECT_TIMEOUT`` seconds."""
    urls = node_urls(location)
    options = auth_options(env)
    text = ",".join(shown(url) for url in urls)
    try:
        client = opensearchpy.OpenSearch(
            hosts=urls, timeout=REQUEST_TIMEOUT, max_retries=MAX_RETRIES, retry_on_timeout=False,
            verify_certs=True, ssl_show_warn=False, **options)
    except os_errors.ImproperlyConfigured as error:
        raise UsageError(f"cannot connect to {text}: {error}") from None
    if check:
        with errors_mapped(text, "answer"):
            info = client.info(request_timeout=CONNECT_TIMEOUT)
        distribution = (info.get("version") or {}).get("distribution", "elasticsearch")
        if distribution != "opensearch":
            raise BackendError(f"{text} is not an OpenSearch cluster (it says {distribution!r}); bahth's "
                               "opensearch backend needs OpenSearch 2.x with bahth's analysis plugin")
    return client


@contextmanager
def errors_mapped(where: str, action: str) -> Iterator[None]:
    """Turn opensearch-py's exceptions inside the block into bahth's typed errors
    (``action``: what was being done, for the message, e.g. "create the index bahth")."""
    try:
        yield
    except BahthError:
        raise
    except os_errors.OpenSearchException as error:
        raise translate(error, where, action) from None


def translate(error: Exception, where: str, action: str = "answer") -> BahthError:
    """The bahth error for one exception of opensearch-py."""
    if isinstance(error, os_errors.SSLError):
        return BackendUnavailableError(where, f"TLS failed ({_cause(error)}); if your own CA signed the cluster's "
                                              f"certificate, set {ENV_CA} to its PEM file")
    if isinstance(error, os_errors.ConnectionTimeout):
        return BackendUnavailableError(where, f"no answer in time while trying to {action} ({_cause(error)})")
    if isinstance(error, os_errors.ConnectionError):
        return BackendUnavailableError(where, f"cannot connect ({_cause(error)}); is the cluster running and the URL "
                                              "right? (`make opensearch` starts a local one)")
    if isinstance(error, os_errors.AuthenticationException):
        if os.environ.get(ENV_USER) or os.environ.get(ENV_API_KEY):
            return BackendAuthError(where, f"refused the credentials (HTTP 401: {_reason(error)}); check "
                                           f"{ENV_USER}/{ENV_PASSWORD} or {ENV_API_KEY}")
        return BackendAuthError(where, f"asks for credentials (HTTP 401): set {ENV_USER} and {ENV_PASSWORD}, "
                                       f"or {ENV_API_KEY}")
    if isinstance(error, os_errors.AuthorizationException):
        return BackendAuthError(where, f"does not allow these credentials to {action} (HTTP 403: {_reason(error)})")
    if isinstance(error, os_errors.TransportError):
        status = error.status_code
        if status in (429, 502, 503, 504):
            return BackendUnavailableError(where, f"overloaded or not ready while trying to {action} "
                                                  f"(HTTP {status}: {_reason(error)}); try again")
        return BackendError(f"the OpenSearch cluster at {where} refused to {action} (HTTP {status}: {_reason(error)})")
    if isinstance(error, os_errors.SerializationError):
        return BackendError(f"the OpenSearch cluster at {where} sent an answer that is not JSON while trying to {action}")
    return BackendError(f"OpenSearch at {where}: could not {action}: {type(error).__name__}: {str(error)[:_REASON_LIMIT]}")


def _cause(error: os_errors.TransportError) -> str:
    """The network reason of a connection error ("Connection refused", "timed out", ...)."""
    inner = error.info if isinstance(error.info, BaseException) else None
    text = str(inner or error.error or error)
    for known in ("Connection refused", "timed out", "Name or service not known", "No route to host",
                  "certificate verify failed", "Connection reset by peer", "Remote end closed connection",
                  "wrong version number"):
        if known.lower() in text.lower():
            return known
    return text[-_REASON_LIMIT:]


def _reason(error: os_errors.TransportError) -> str:
    """The cluster's own reason ({"error": {"type", "reason"}}) of a refused request."""
    info = error.info
    if isinstance(info, dict):
        detail = info.get("error")
        if isinstance(detail, dict):
            causes = detail.get("root_cause") or [detail]
            first = causes[0] if isinstance(causes[0], dict) else detail
            text = f"{first.get('type', '')}: {first.get('reason', '')}".strip(": ")
            return text[:_REASON_LIMIT] or str(error.error)
        if isinstance(detail, str):
            return detail[:_REASON_LIMIT]
    return str(error.error or info or "no reason given")[:_REASON_LIMIT]
