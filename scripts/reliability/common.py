"""What every part of the harness shares: running `recert`, reading the database as SQLite sees
it, and the checks a data folder must pass after anything happened to it."""

import hashlib
import os
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TODAY = "2026-11-23"
PANIC_MARKERS = ("panicked at", "RUST_BACKTRACE", "stack backtrace")


@dataclass
class Run:
    args: list
    code: int
    stdout: str
    stderr: str

    @property
    def crashed(self) -> bool:
        """A panic (exit 101) or death by a signal: never acceptable, whatever the input."""
        return self.code == 101 or self.code < 0 or any(m in self.stderr for m in PANIC_MARKERS)


class Recert:
    def __init__(self, binary: Path, notifier_address: str | None = None):
        self.binary = str(binary)
        self.env = {k: v for k, v in os.environ.items() if k not in ("RECERT_DATA_DIR", "DISPLAY", "WAYLAND_DISPLAY")}
        # Without a notification server `remind` records a failure; with one it shows.
        self.env["DBUS_SESSION_BUS_ADDRESS"] = notifier_address or "unix:path=/nonexistent/recert-harness-bus"

    def argv(self, data_dir: Path, args: list, today: str = TODAY) -> list:
        return [self.binary, "--data-dir", str(data_dir), "--today", today, *args]

    def run(self, data_dir: Path, args: list, today: str = TODAY, timeout: float = 120) -> Run:
        done = subprocess.run(self.argv(data_dir, args, today), env=self.env, capture_output=True, timeout=timeout)
        return Run(args, done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"))

    def popen(self, data_dir: Path, args: list, today: str = TODAY) -> subprocess.Popen:
        return subprocess.Popen(
            self.argv(data_dir, args, today), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    def ok(self, data_dir: Path, args: list, today: str = TODAY) -> Run:
        run = self.run(data_dir, args, today)
        if run.code != 0:
            raise SystemExit(f"setup failed: recert {args}: {run.stderr.strip()}")
        return run


def database(data_dir: Path) -> Path:
    return data_dir / "recert.sqlite3"


def connect(data_dir: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(database(data_dir), timeout=60)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


# As the store's COUNTS_IN_CURRENT_CYCLE: in the cycle (or its late window) and accepted by the body
# (a course waiting for a body's approval is shown, never counted).
COUNTS_IN_CURRENT_CYCLE = (
    "(cr.standing = 'counted' AND ((cr.late_for_cycle_end IS NULL AND cr.completed_on BETWEEN c.cycle_start "
    "AND c.cycle_end) OR cr.late_for_cycle_end = c.cycle_end))"
)
LEDGER_TOTALS = f"""
    SELECT cr.credential_id, COALESCE(cr.category, ''), SUM(cr.units), SUM(a.cost_cents), COUNT(*)
    FROM credentials c JOIN credits cr ON cr.credential_id = c.id AND {COUNTS_IN_CURRENT_CYCLE}
    JOIN activities a ON a.id = cr.activity_id
    GROUP BY cr.credential_id, COALESCE(cr.category, '')"""
RUNNING_TOTALS = "SELECT credential_id, category, units, cost_cents, activity_count FROM cycle_totals"


@dataclass
class Findings:
    """Problems found in a data folder, by kind."""

    integrity: list = field(default_factory=list)
    lost: list = field(default_factory=list)
    proofs: list = field(default_factory=list)

    def any(self) -> bool:
        return bool(self.integrity or self.lost or self.proofs)

    def extend(self, other: "Findings"):
        self.integrity += other.integrity
        self.lost += other.lost
        self.proofs += other.proofs


_hashes: dict = {}


def sha256(path: Path) -> str:
    """The file's SHA-256, remembered by (path, size, mtime): proofs are hashed once."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _hashes:
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            while block := file.read(1 << 20):
                digest.update(block)
        _hashes[key] = digest.hexdigest()
    return _hashes[key]


def check_folder(data_dir: Path, settled: bool) -> Findings:
    """SQLite's integrity and foreign-key checks, running totals equal to the ledger, every
    activity whole, every referred proof present with its hash; `settled` (a writing command has
    started since anything was killed): no copy without an activity and no partial file left."""
    found = Findings()
    conn = connect(data_dir)
    try:
        verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if verdict != ["ok"]:
            found.integrity.append(f"integrity_check: {verdict[:3]}")
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            found.integrity.append(f"foreign_key_check: {orphans[:3]}")
        running = set(conn.execute(RUNNING_TOTALS).fetchall())
        ledger = set(conn.execute(LEDGER_TOTALS).fetchall())
        if running != ledger:
            found.integrity.append(f"cycle_totals differ from the ledger: {sorted(running ^ ledger)[:3]}")
        referred = {}
        for path, sha in conn.execute("SELECT proof_path, proof_sha256 FROM activities WHERE proof_path IS NOT NULL"):
            referred[path] = sha
    finally:
        conn.close()
    for relative, sha in referred.items():
        stored = data_dir / relative
        if not stored.is_file():
            found.proofs.append(f"missing proof file {relative}")
        elif sha256(stored) != sha:
            found.proofs.append(f"proof {relative} does not match its hash")
    proofs = data_dir / "proofs"
    if settled and proofs.is_dir():
        # A proof a backup refers to stays: restoring that backup brings its activity back.
        in_backups = proofs_in_backups(data_dir)
        for entry in proofs.iterdir():
            if entry.name.endswith(".partial"):
                found.proofs.append(f"partial file left: {entry.name}")
            elif f"proofs/{entry.name}" not in referred and f"proofs/{entry.name}" not in in_backups:
                found.proofs.append(f"copy no activity refers to: {entry.name}")
    return found


def proofs_in_backups(data_dir: Path) -> set:
    """The proof paths the backups in `backups/` refer to (a backup that can't be read: none)."""
    paths = set()
    for backup in sorted((data_dir / "backups").glob("*.sqlite3")):
        try:
            conn = sqlite3.connect(f"file:{backup}?mode=ro&immutable=1", uri=True)
            try:
                paths |= {row[0] for row in conn.execute(
                    "SELECT proof_path FROM activities WHERE proof_path IS NOT NULL")}
            finally:
                conn.close()
        except sqlite3.Error:
            pass
    return paths


def one_clean_line(run: Run) -> bool:
    """A refusal as users must see it: one short printable line on stderr, a failure exit."""
    text = run.stderr.rstrip("\n")
    printable = not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0x202A <= ord(c) <= 0x202E for c in text)
    return run.code not in (0, 101) and text.count("\n") == 0 and 0 < len(text) <= 500 and printable


def dump(data_dir: Path) -> str:
    """`sqlite3 .dump` of the database: what a refused command must leave exactly as it was."""
    done = subprocess.run(["sqlite3", str(database(data_dir)), ".dump"], capture_output=True, timeout=60)
    return done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
