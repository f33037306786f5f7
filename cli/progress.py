"""Indexing progress: a live bar on a terminal, silence otherwise (the command prints one summary line).

The bar shows documents, MB read of MB total (counted as the files are read), MB/s and the
time left; after the reading, the stage the run is in instead (writing the segments,
merging, committing), so a long commit never looks like a hang at "ETA 0:00". The indexer
calls back at most a few times a second, so drawing never costs more than indexing.
"""

from __future__ import annotations

import shutil
from typing import Any, TextIO


class Silent:
    """Progress for pipes and `-q`: the command's summary line is the only output."""

    def update(self, *args: Any, **kwargs: Any) -> None:
        pass

    def close(self) -> None:
        pass


class Bar:
    """A one-line bar redrawn in place (the indexer calls `update` a few times per second)."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.drawn = False

    def update(self, progress: Any) -> None:
        """`progress`: an `index.IndexProgress` (docs, bytes_done, bytes_total, elapsed)."""
        width = shutil.get_terminal_size((80, 24)).columns
        text = line(progress.docs, progress.bytes_done, progress.bytes_total, progress.elapsed, width,
                    stage=getattr(progress, "stage", "reading"))
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")  # the summary line replaces the bar
            self.stream.flush()


# What the bar says after the reading (IndexProgress.stage), instead of the rate and ETA.
STAGES = {"writing": "writing the index segments…", "merging": "merging…", "committing": "committing…"}


def line(documents: int, done_bytes: int, total_bytes: int | None, elapsed: float, width: int = 80,
         stage: str = "reading") -> str:
    """`[#####.....]  52% 1,234 docs  12.3/45.6 MB  3.4 MB/s  ETA 0:10` (fits in `width`);
    after the reading, the stage instead of the rate: `... 45.6/45.6 MB  committing…`."""
    mb, rate = done_bytes / 1e6, done_bytes / 1e6 / elapsed if elapsed > 0 else 0.0
    parts = [f"{documents:,} docs"]
    if total_bytes:
        fraction = min(1.0, done_bytes / total_bytes)
        parts.append(f"{mb:.1f}/{total_bytes / 1e6:.1f} MB")
        if stage in STAGES:
            parts.append(STAGES[stage])
        else:
            parts.append(f"{rate:.1f} MB/s")
            parts.append("ETA " + (clock_time((total_bytes - done_bytes) / 1e6 / rate) if rate > 0 else "?"))
        text = f"{fraction:4.0%} " + "  ".join(parts)
        bar_width = max(0, min(30, width - len(text) - 4))
        filled = round(bar_width * fraction)
        text = (f"[{'#' * filled}{'.' * (bar_width - filled)}] " if bar_width >= 5 else "") + text
    else:
        parts += [f"{mb:.1f} MB", f"{rate:.1f} MB/s"]
        text = "  ".join(parts)
    return text[: max(0, width - 1)]


def clock_time(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def for_stream(stream: TextIO, *, quiet: bool = False) -> Bar | Silent:
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return Bar(stream) if tty and not quiet else Silent()
