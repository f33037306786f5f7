#!/usr/bin/env python3
"""A local OpenSearch cluster for bahth: N nodes on 127.0.0.1, plain HTTP, started and stopped by PID.

    python3 opensearch/cluster.py start [--name local] [--nodes 3] [--heap 1g] [--plugin ZIP] [--fresh]
    python3 opensearch/cluster.py stop [--name local]
    python3 opensearch/cluster.py status [--name local]

``start`` prints progress on stderr and the cluster's URL as the last line on stdout, once the
cluster is green with all its nodes; it exits 1 with the reason (and the end of the node logs)
when that does not happen within ``--timeout`` seconds, after stopping what it started. A
cluster that is already running is reused (its URL printed again); a PID file left by a
cluster that died (a reboot, a SIGKILL) is noticed and replaced.

Everything lives under ``.opensearch/`` at the root of the repository (git ignores it):
``downloads/`` (what Maven fetched: the OpenSearch distribution and the analysis-common module,
reused by later runs), ``clusters/NAME/home`` (an installation with bahth's analysis plugin),
``clusters/NAME/node-i/`` (config, data, logs of each node) and ``clusters/NAME/cluster.json``
(the PIDs and ports). The distribution is OpenSearch's minimal one (no security plugin): HTTP
without TLS or users, bound to loopback only. Standard library only: it runs before any venv.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

OPENSEARCH_VERSION = "2.19.6"  # the newest 2.x: runs on the JDK 17 these machines have
DISTRIBUTION = f"org.opensearch.distribution.integ-test-zip:opensearch:{OPENSEARCH_VERSION}:zip"
# The minimal distribution has no analysis module: the built-in pattern, pattern_replace,
# stop, stemmer_override ... filters come from analysis-common, installed as a module.
ANALYSIS_COMMON = f"org.opensearch.plugin:analysis-common:{OPENSEARCH_VERSION}:jar"
ANALYSIS_COMMON_CLASS = "org.opensearch.analysis.common.CommonAnalysisPlugin"

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("BAHTH_OPENSEARCH_DIR", ROOT / ".opensearch"))
DOWNLOADS = STATE / "downloads"
PLUGIN_ZIP = ROOT / "opensearch" / "plugin" / "target" / "bahth-analysis-0.1.0.zip"
PLUGIN_NAME = "bahth-analysis"

# Sized for 2 cores and 24 GB shared with other work: 1 GB heap per node by default (3 GB for
# three nodes), one processor's worth of thread pools per node.
DEFAULT_HEAP = os.environ.get("BAHTH_OPENSEARCH_HEAP", "1g")
DEFAULT_TIMEOUT = 300.0
# OpenSearch refuses to run as root (CI and these machines run as root): the nodes then run as
# this unprivileged user, which owns the nodes' folders.
# Not BAHTH_OPENSEARCH_USER: that names the user bahth logs in to a cluster as (the client's credentials).
NODE_USER = os.environ.get("BAHTH_OPENSEARCH_NODE_USER", "nobody")
STOP_GRACE = 30.0


class ClusterError(RuntimeError):
    """The cluster could not be set up, started or stopped; the message says why."""


def log(message: str) -> None:
    print(f"opensearch: {message}", file=sys.stderr, flush=True)


# --- downloads and installation -----------------------------------------------------------------

def maven_fetch(artifact: str) -> Path:
    """The artifact's file in downloads/, fetched from Maven Central with mvn on first use."""
    group, name, version, ext = artifact.split(":")
    target = DOWNLOADS / f"{name}-{version}.{ext}"
    if target.is_file():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ClusterError("mvn (Apache Maven) is needed to download OpenSearch: apt-get install maven")
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    log(f"downloading {artifact} with Maven (first run only)")
    result = subprocess.run([mvn, "-B", "-q", "-ntp", "dependency:copy", f"-Dartifact={artifact}",
                             f"-DoutputDirectory={DOWNLOADS}"], capture_output=True, text=True)
    if result.returncode != 0 or not target.is_file():
        raise ClusterError(f"could not download {artifact}:\n{(result.stdout + result.stderr)[-2000:]}")
    return target


def java_home() -> Path:
    """OPENSEARCH_JAVA_HOME, JAVA_HOME, or the JDK of `java` on PATH (17 or newer)."""
    for var in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            return Path(os.environ[var])
    java = shutil.which("java")
    if java is None:
        raise ClusterError("no Java found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)")
    return Path(java).resolve().parents[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install_home(home: Path, plugin: Path | None) -> None:
    """An OpenSearch installation at ``home`` with analysis-common and bahth's plugin."""
    marker = home / ".bahth-distribution"
    if not home.is_dir() or not marker.is_file() or marker.read_text() != DISTRIBUTION:
        archive = maven_fetch(DISTRIBUTION)
        analysis_common = maven_fetch(ANALYSIS_COMMON)
        log(f"unpacking OpenSearch {OPENSEARCH_VERSION} into {home}")
        shutil.rmtree(home, ignore_errors=True)
        unpack = home.with_name(home.name + ".unpacking")
        shutil.rmtree(unpack, ignore_errors=True)
        with zipfile.ZipFile(archive) as z:
            z.extractall(unpack)
        top = unpack / f"opensearch-{OPENSEARCH_VERSION}"
        for script in (top / "bin").iterdir():
            script.chmod(0o755)
        module = top / "modules" / "analysis-common"
        module.mkdir(parents=True)
        shutil.copy2(analysis_common, module / analysis_common.name)
        (module / "plugin-descriptor.properties").write_text(
            "description=OpenSearch's common analysis (installed by bahth's cluster.py)\n"
            f"version={OPENSEARCH_VERSION}\nname=analysis-common\nclassname={ANALYSIS_COMMON_CLASS}\n"
            f"java.version=11\nopensearch.version={OPENSEARCH_VERSION}\nextended.plugins=\n"
            "has.native.controller=false\n", encoding="utf-8")
        top.rename(home)
        shutil.rmtree(unpack)
        marker.write_text(DISTRIBUTION)
    if plugin is not None:
        install_plugin(home, plugin)


def install_plugin(home: Path, plugin: Path) -> None:
    """Installs (or replaces, when the zip changed) bahth's analysis plugin."""
    if not plugin.is_file():
        raise ClusterError(f"the plugin {plugin} is not built: run `make opensearch-plugin`")
    installed = home / "plugins" / PLUGIN_NAME
    marker = home / "plugins" / f".{PLUGIN_NAME}.sha256"
    digest = sha256(plugin)
    if installed.is_dir() and marker.is_file() and marker.read_text() == digest:
        return
    shutil.rmtree(installed, ignore_errors=True)
    log(f"installing {plugin.name}")
    result = subprocess.run([str(home / "bin" / "opensearch-plugin"), "install", "--batch", plugin.resolve().as_uri()],
                            env={**os.environ, "OPENSEARCH_JAVA_HOME": str(java_home())},
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise ClusterError(f"installing {plugin} failed:\n{(result.stdout + result.stderr)[-2000:]}")
    marker.write_text(digest)


# --- nodes ----------------------------------------------------------------------------------------

def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 right now (all held open together, so they are distinct)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def node_config(node: Path, home: Path, index: int, nodes: int, name: str, http: int, transports: list[int],
                heap: str) -> Path:
    config = node / "config"
    shutil.rmtree(config, ignore_errors=True)
    shutil.copytree(home / "config", config)
    for sub in ("data", "logs", "tmp"):
        (node / sub).mkdir(parents=True, exist_ok=True)
    seeds = ", ".join(f'"127.0.0.1:{port}"' for port in transports)
    managers = ", ".join(f"node-{i}" for i in range(1, nodes + 1))
    (config / "opensearch.yml").write_text(f"""# Written by opensearch/cluster.py: a local test cluster, loopback only, no security plugin.
cluster.name: bahth-{name}
node.name: node-{index}
path.data: {node / "data"}
path.logs: {node / "logs"}
network.host: 127.0.0.1
http.port: {http}
transport.port: {transports[index - 1]}
discovery.seed_hosts: [{seeds}]
cluster.initial_cluster_manager_nodes: [{managers}]
node.processors: 1
cluster.routing.allocation.disk.threshold_enabled: false
""", encoding="utf-8")
    # jvm.options names paths relative to the home folder, where every node would write (and
    # which the node user cannot write): each node writes its GC log, heap dumps, crash logs in its own folder.
    jvm = (config / "jvm.options").read_text(encoding="utf-8")
    for relative, absolute in (("file=logs/", f"file={node / 'logs'}/"), ("HeapDumpPath=data", f"HeapDumpPath={node / 'data'}"),
                               ("ErrorFile=logs/", f"ErrorFile={node / 'logs'}/")):
        jvm = jvm.replace(relative, absolute)
    (config / "jvm.options").write_text(jvm, encoding="utf-8")
    (config / "jvm.options.d" / "bahth-heap.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n", encoding="utf-8")
    user = node_user()
    if user is not None:
        for path in (node, *node.rglob("*")):
            os.chown(path, user.pw_uid, user.pw_gid)
    return config


def node_user() -> pwd.struct_passwd | None:
    """The user the nodes run as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(NODE_USER)
    except KeyError:
        raise ClusterError(f"running as root, and OpenSearch refuses root: no user {NODE_USER!r} to run the "
                           "nodes as (set BAHTH_OPENSEARCH_NODE_USER to an unprivileged user)") from None


def pid_alive(pid: int, home: Path) -> bool:
    """True when ``pid`` runs and is a node of this installation (not a reused PID)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return False
    # The launcher script (bin/opensearch under home) execs java with -Dopensearch.path.home=home.
    return str(home / "bin" / "opensearch") in cmdline or f"-Dopensearch.path.home={home}" in cmdline


def http_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# A restarted node replays its shards (after a crash: the whole translog of a bulk load with
# refresh off, minutes at 150k articles on 2 loaded cores). While shards are still initializing
# the start keeps waiting, up to this many times the timeout, instead of stopping a recovery.
RECOVERY_FACTOR = 4


def recovering(health: dict | None) -> bool:
    """True while the cluster reports shards being initialized (recovery under way)."""
    return bool(health) and int(health.get("initializing_shards") or 0) > 0


def why_not_green(health: dict | None, nodes: int, unhealthy: list[str]) -> str:
    """What a start that did not turn green saw, for its error message."""
    if not health:
        return "no answer on HTTP"
    seen = f"status {health.get('status')}, {health.get('number_of_nodes')} of {nodes} nodes"
    if recovering(health):
        return seen + (f"; {health.get('initializing_shards')} shards still recovering: start again with a "
                       "longer --timeout to let the recovery finish")
    if unhealthy:
        seen += (f"; indices not green: {', '.join(unhealthy)} (an index made for other analysis tables than "
                 "the installed plugin's cannot open: delete it, or start with --fresh)")
    return seen


class Cluster:
    """One named cluster under .opensearch/clusters/NAME."""

    def __init__(self, name: str):
        self.name = name
        self.dir = STATE / "clusters" / name
        self.home = self.dir / "home"
        self.state_file = self.dir / "cluster.json"

    def state(self) -> dict | None:
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def plugin_installed(self, plugin: Path) -> bool:
        marker = self.home / "plugins" / f".{PLUGIN_NAME}.sha256"
        return marker.is_file() and marker.read_text() == sha256(plugin)

    def live_pids(self, state: dict) -> list[int]:
        return [pid for pid in state.get("pids", []) if pid_alive(pid, self.home)]

    def health(self, url: str, nodes: int, wait: str = "0s") -> dict | None:
        try:
            return http_json(f"{url}/_cluster/health?wait_for_status=green&wait_for_nodes={nodes}&timeout={wait}",
                             timeout=10.0)
        except urllib.error.HTTPError as e:  # 408: not green within the wait; the body is the health
            try:
                return json.loads(e.read())
            except ValueError:
                return None
        except (OSError, ValueError):
            return None

    def unhealthy_indices(self, url: str) -> list[str]:
        try:
            rows = http_json(f"{url}/_cat/indices?format=json&h=index,health", timeout=10.0)
        except (OSError, ValueError):
            return []
        return [f"{row['index']} ({row['health']})" for row in rows if row.get("health") != "green"]

    def start(self, nodes: int, heap: str, plugin: Path | None, timeout: float, fresh: bool) -> str:
        state = self.state()
        if state is not None:
            live = self.live_pids(state)
            if live and fresh:
                log("--fresh: stopping the running cluster first")
                self.stop()
                live = []
            elif live and plugin is not None and plugin.is_file() and not self.plugin_installed(plugin):
                log("the plugin was rebuilt since this cluster started: restarting it with the new one")
                self.stop()
                live = []
            if live and len(live) == len(state["pids"]):
                health = self.health(state["url"], len(live))
                if health and health.get("status") == "green" and len(live) == nodes:
                    log(f"already running ({len(live)} nodes, green)")
                    return state["url"]
            if live:
                log("a previous start of this cluster is half up: stopping it first")
                self.stop()
            elif self.state_file.exists():
                log(f"removing a stale PID file ({self.state_file}): none of its nodes runs")
                self.state_file.unlink()
        install_home(self.home, plugin)
        if fresh:
            for node in self.dir.glob("node-*"):
                shutil.rmtree(node)
        ports = free_ports(2 * nodes)
        https, transports = ports[:nodes], ports[nodes:]
        url = f"http://127.0.0.1:{https[0]}"
        env = {**os.environ, "OPENSEARCH_JAVA_HOME": str(java_home())}
        user = node_user()
        as_user = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        env.pop("OPENSEARCH_JAVA_OPTS", None)
        processes, logs = [], []
        for i in range(1, nodes + 1):
            node = self.dir / f"node-{i}"
            config = node_config(node, self.home, i, nodes, self.name, https[i - 1], transports, heap)
            logs.append(node / "logs" / "console.log")
            with open(logs[-1], "ab") as out:
                process = subprocess.Popen([str(self.home / "bin" / "opensearch")], cwd=node, stdin=subprocess.DEVNULL,
                                           stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **as_user,
                                           env={**env, "OPENSEARCH_PATH_CONF": str(config),
                                                "OPENSEARCH_TMPDIR": str(node / "tmp")})
            processes.append(process)
        pids = [process.pid for process in processes]
        self.state_file.write_text(json.dumps({"url": url, "pids": pids, "http_ports": https, "transport_ports": transports,
                                               "heap": heap, "version": OPENSEARCH_VERSION, "started": time.time()},
                                              indent=1), encoding="utf-8")
        log(f"started {nodes} nodes (heap {heap} each, PIDs {' '.join(map(str, pids))}); waiting for green at {url}")
        started = time.monotonic()
        deadline = started + timeout
        health = None
        while time.monotonic() < deadline or (recovering(health) and time.monotonic() < started + RECOVERY_FACTOR * timeout):
            dead = [i for i, process in enumerate(processes) if process.poll() is not None]
            if dead:
                i = dead[0]
                self.stop_started(processes)
                raise ClusterError(f"node-{i + 1} exited while starting; the end of {logs[i]}:\n{tail(logs[i])}")
            health = self.health(url, nodes, wait="2s")
            if health and health.get("status") == "green" and health.get("number_of_nodes") == nodes:
                log(f"green: {nodes} nodes in {timeout - (deadline - time.monotonic()):.0f} s")
                return url
            time.sleep(1.0)
        seen = why_not_green(health, nodes, self.unhealthy_indices(url) if health else [])
        self.stop_started(processes)
        raise ClusterError(f"the cluster did not turn green within {time.monotonic() - started:.0f} s ({seen}); stopped it. "
                           f"The end of {logs[0]}:\n{tail(logs[0])}")

    def stop_started(self, processes: list[subprocess.Popen]) -> None:
        """Stops the nodes this very run started (by their process handles) after a failed start."""
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.state_file.unlink(missing_ok=True)

    def stop(self) -> int:
        """Stops this cluster's nodes (SIGTERM, then SIGKILL after a grace period); the count stopped."""
        state = self.state()
        if state is None:
            return 0
        live = self.live_pids(state)
        for pid in state.get("pids", []):
            if pid not in live:
                log(f"PID {pid} is not running (or is no longer our node): left alone")
        for pid in live:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while time.monotonic() < deadline and any(pid_alive(pid, self.home) for pid in live):
            time.sleep(0.2)
        for pid in live:
            if pid_alive(pid, self.home):
                log(f"PID {pid} ignored SIGTERM for {STOP_GRACE:.0f} s: SIGKILL")
                os.kill(pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return len(live)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("start", "stop", "status"):
        p = sub.add_parser(command)
        p.add_argument("--name", default="local", help="cluster name: a folder under .opensearch/clusters")
        if command == "start":
            p.add_argument("--nodes", type=int, default=3)
            p.add_argument("--heap", default=DEFAULT_HEAP, help="JVM heap per node (default %(default)s)")
            p.add_argument("--plugin", type=Path, default=PLUGIN_ZIP, help="bahth's analysis plugin zip")
            p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for green")
            p.add_argument("--fresh", action="store_true", help="delete the nodes' data first")
    args = parser.parse_args(argv)
    cluster = Cluster(args.name)
    try:
        if args.command == "start":
            print(cluster.start(args.nodes, args.heap, args.plugin, args.timeout, args.fresh), flush=True)
        elif args.command == "stop":
            stopped = cluster.stop()
            log(f"stopped {stopped} node(s)" if stopped else "not running")
        else:
            state = cluster.state()
            live = cluster.live_pids(state) if state else []
            if not live:
                log("not running")
                return 3
            health = cluster.health(state["url"], len(live)) or {}
            print(json.dumps({"url": state["url"], "pids": live, "status": health.get("status")}))
    except ClusterError as e:
        log(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        log("interrupted: stopping what was started")
        cluster.stop()
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
