"""Only what this user's bahth wrote gets unpickled.

Whoosh keeps the schema and the segment list (the TOC), postings block info and stored
fields as pickles, and unpickling runs code: a crafted index folder would run it on
`bahth search`. So every file Whoosh reads is signed when bahth writes it, with an HMAC
under a per-user secret, and checked before Whoosh reads it:

- the secret: 32 random bytes in ``$XDG_STATE_HOME/bahth/secret`` (else
  ``~/.local/state/bahth/secret``; ``$BAHTH_STATE_DIR/secret`` when that is set, as the test
  suite does), mode 0600, made on first use;
- ``bahth.sig`` in the index folder: per signed file the HMAC of its name and content and a
  stat fingerprint (device, inode, size, mtime, ctime); the whole table has its own HMAC;
- checking a file whose fingerprint is unchanged costs one ``stat`` (the ctime cannot be set
  back by anyone but root, so a changed file always has a new fingerprint); any other file
  is hashed in full and must match its HMAC.

A folder from elsewhere (another user, a download) has no valid ``bahth.sig`` for this
secret: it is refused until the user adopts it (``bahth adopt DIR``, which signs what is
there after a warning). A signed file whose content changed is reported as damaged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from pathlib import Path
from typing import Any

from bahth.index.errors import CorruptIndexError, UntrustedIndexError

SIG_FILE = "bahth.sig"
SECRET_FILE = "secret"
_FORMAT = "bahth-sig-1"
_CHUNK = 1 << 20


def state_dir() -> Path:
    """$BAHTH_STATE_DIR (sandboxes: the test suite), else $XDG_STATE_HOME/bahth, else ~/.local/state/bahth."""
    if explicit := os.environ.get("BAHTH_STATE_DIR"):
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base).expanduser() / "bahth"


def secret(create: bool = True) -> bytes | None:
    """This user's signing key; made (mode 0600) on first use when ``create``."""
    path = state_dir() / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    except ValueError:
        raise CorruptIndexError(str(path), "the signing secret is not hex; delete it to make a new one") from None
    import secrets  # here: only a first run makes a secret (searching never does)

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # atomic and never replaces: two first runs agree on one secret
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _fingerprint(path: Path) -> list[int]:
    info = os.stat(path)
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def file_mac(key: bytes, path: Path, name: str | None = None) -> str:
    mac = hmac.new(key, b"bahth-file\0" + (name or path.name).encode("utf-8", "surrogateescape") + b"\0", hashlib.sha256)
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            mac.update(chunk)
    return mac.hexdigest()


def _table_mac(key: bytes, files: dict[str, Any]) -> str:
    text = json.dumps(files, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, b"bahth-sig\0" + text.encode("utf-8"), hashlib.sha256).hexdigest()


class Signatures:
    """The signed files of one index folder (``bahth.sig``)."""

    def __init__(self, index_dir: str | Path, key: bytes, files: dict[str, Any] | None = None):
        self.index_dir, self.key = Path(index_dir), key
        self.files: dict[str, Any] = files or {}

    @classmethod
    def load(cls, index_dir: str | Path, key: bytes | None) -> Signatures | None:
        """The folder's table if its HMAC is good under ``key``; None if missing or foreign."""
        if key is None:
            return None
        try:
            data = json.loads((Path(index_dir) / SIG_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("files"), dict):
            return None
        if not hmac.compare_digest(str(data.get("mac", "")), _table_mac(key, data["files"])):
            return None
        return cls(index_dir, key, data["files"])

    def sign(self, path: Path, name: str | None = None) -> None:
        """Record ``path``'s content under ``name`` (default: its own name)."""
        name = name or path.name
        self.files[name] = {"mac": file_mac(self.key, path, name), "stat": _fingerprint(path)}

    def keep_only(self, names: set[str]) -> None:
        self.files = {name: entry for name, entry in self.files.items() if name in names}

    def save(self) -> None:
        from bahth.index.store import write_atomic

        data = {"format": _FORMAT, "files": self.files, "mac": _table_mac(self.key, self.files)}
        write_atomic(self.index_dir / SIG_FILE, json.dumps(data, sort_keys=True))

    def check(self, name: str) -> None:
        """CorruptIndexError unless the file ``name`` is signed and unchanged."""
        entry = self.files.get(name)
        path = self.index_dir / name
        if entry is None:
            raise CorruptIndexError(str(self.index_dir), f"{name} was not written by bahth (it is not in {SIG_FILE})")
        try:
            if _fingerprint(path) == entry.get("stat"):
                return
            if hmac.compare_digest(file_mac(self.key, path, name), str(entry.get("mac", ""))):
                return
        except FileNotFoundError:
            raise
        except OSError as error:
            raise CorruptIndexError(str(self.index_dir), f"{name} cannot be read ({error.strerror})") from None
        raise CorruptIndexError(str(self.index_dir), f"{name} changed since bahth wrote it")


def load_or_refuse(index_dir: str | Path) -> Signatures:
    """The folder's signatures; UntrustedIndexError when this user's bahth did not sign it."""
    key = secret(create=False)
    table = Signatures.load(index_dir, key)
    if table is not None:
        return table
    if not (Path(index_dir) / SIG_FILE).exists():
        detail = f"it has no {SIG_FILE}"
    elif key is None:
        detail = f"you have no signing secret in {state_dir()}"
    else:
        detail = f"its {SIG_FILE} is not signed with your secret"
    raise UntrustedIndexError(str(index_dir), detail)


def segment_files(index_dir: str | Path, indexname: str, segment_ids: set[str]) -> list[str]:
    """The files in the folder that belong to the given segments (``MAIN_<id>.<ext>``)."""
    pattern = re.compile(rf"^({re.escape(indexname)}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
    return sorted(
        name for name in os.listdir(index_dir) if (m := pattern.match(name)) and m.group(1) in segment_ids
    )
