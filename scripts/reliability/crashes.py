"""kill -9 at a random moment during each writing command (an edit-activity replacing or removing a proof too), then the checks: SQLite's integrity
and foreign keys, every acknowledged write present, every activity whole, running totals equal
to the ledger, every proof present, and after the next start no copy or partial file left."""

import json
import time
from collections import Counter
from pathlib import Path

from common import Findings, Recert, check_folder, connect

KINDS = ["log", "log --proof", "add", "renew", "edit", "edit-activity --proof", "remove-activity"]
# The credential every trial's course counts toward (its cycle holds 2026-05-01).
STANDING = ["add", "--name", "Standing", "--body", "B", "--earned", "2025-01-01", "--cycle-years", "3",
            "--units", "100", "--unit", "CEU", "--hours-per-unit", "1"]


class CrashTrials:
    def __init__(self, recert: Recert, workdir: Path, rng):
        self.recert, self.rng = recert, rng
        self.dir = workdir / "crash"
        self.sources = workdir / "proof-sources"
        self.sources.mkdir(parents=True)
        recert.ok(self.dir, STANDING)
        # A few proofs used again and again (stored once), in sizes a kill can land inside.
        self.shared = []
        for size in (1 << 10, 256 << 10, 4 << 20, 24 << 20):
            path = self.sources / f"shared-{size}.pdf"
            path.write_bytes(rng.randbytes(size))
            self.shared.append(path)
        self.n = 0
        self.titles, self.names, self.fees, self.removed = set(), set(), set(), set()
        # The proof each activity must keep after an acknowledged `edit-activity --proof/--no-proof`.
        self.proof_of = {}
        self.typical = Counter({kind: 0.05 for kind in KINDS})
        self.counts = Counter()
        self.findings = Findings()

    def _ids_by_title(self) -> dict:
        conn = connect(self.dir)
        try:
            return dict(conn.execute("SELECT title, id FROM activities"))
        finally:
            conn.close()

    def _command(self, kind: str):
        """The command to kill and how to tell whether its write landed."""
        self.n += 1
        n = self.n
        course = ["--date", "2026-05-01", "--hours", "2", "--category", "A", "--cost", "10"]
        if kind == "log":
            title = f"crash-log-{n}"
            return ["log", "--title", title, *course], ("title", title)
        if kind == "log --proof":
            title = f"crash-proof-{n}"
            if self.rng.random() < 0.4:
                proof = self.sources / f"own-{n}.pdf"
                proof.write_bytes(self.rng.randbytes(self.rng.choice([2 << 10, 1 << 20, 8 << 20])))
            else:
                proof = self.rng.choice(self.shared)
            return ["log", "--title", title, *course, "--proof", str(proof)], ("title", title)
        if kind == "add":
            name = f"crash-add-{n}"
            return ["add", "--preset", "cpr-aed-aha", "--earned", "2025-06-01", "--name", name], ("name", name)
        if kind == "renew":
            # A card of its own to renew, added first (not killed); the fee marks the renewal.
            added = self.recert.ok(self.dir, ["add", "--preset", "cpr-aed-aha", "--earned", "2025-01-01", "--json"])
            card = str(json.loads(added.stdout)["id"])
            fee = 100_000 + n
            return ["renew", card, "--date", "2026-11-01", "--yes", "--fee", f"{fee // 100}.{fee % 100:02d}"], ("fee", fee)
        if kind == "edit":
            notes = f"crash-edit-{n}"
            hours = self.rng.choice(["1", "2"])
            return ["edit", "1", "--notes", notes, "--hours-per-unit", hours], ("notes", notes)
        live = sorted(self.titles)
        if not live:
            return self._command("log")
        title = self.rng.choice(live)
        activity = str(self._ids_by_title()[title])
        if kind == "edit-activity --proof":
            if self.rng.random() < 0.25:
                return ["edit-activity", activity, "--no-proof"], ("proof", (title, None))
            proof = self.sources / f"edit-{n}.pdf"
            proof.write_bytes(self.rng.randbytes(self.rng.choice([2 << 10, 1 << 20, 8 << 20])))
            return ["edit-activity", activity, "--proof", str(proof)], ("proof", (title, proof.name))
        return ["remove-activity", activity], ("removed", title)

    def _landed(self, marker) -> bool:
        what, value = marker
        conn = connect(self.dir)
        try:
            query = {
                "title": ("SELECT COUNT(*) FROM activities WHERE title = ?", 1),
                "name": ("SELECT COUNT(*) FROM credentials WHERE name = ?", 1),
                "fee": ("SELECT COUNT(*) FROM past_cycles WHERE fee_paid_cents = ?", 1),
                "notes": ("SELECT COUNT(*) FROM credentials WHERE id = 1 AND notes = ?", 1),
                "removed": ("SELECT COUNT(*) FROM activities WHERE title = ?", 0),
            }.get(what)
            if what == "proof":
                title, name = value
                return conn.execute("SELECT proof_name FROM activities WHERE title = ?", (title,)).fetchone() == (name,)
            return conn.execute(query[0], (value,)).fetchone()[0] == query[1]
        finally:
            conn.close()

    def _acknowledge(self, marker):
        what, value = marker
        {"title": self.titles, "name": self.names, "fee": self.fees}.get(what, set()).add(value)
        if what == "proof":
            title, name = value
            self.proof_of[title] = name
        if what == "removed":
            self.titles.discard(value)
            self.removed.add(value)
            self.proof_of.pop(value, None)

    def _lost(self, marker, acked: bool) -> list:
        """Acknowledged writes that are missing, and activities that are not whole."""
        lost = []
        conn = connect(self.dir)
        try:
            titles = {row[0] for row in conn.execute("SELECT title FROM activities")}
            names = {row[0] for row in conn.execute("SELECT name FROM credentials")}
            fees = {row[0] for row in conn.execute("SELECT fee_paid_cents FROM past_cycles")}
            lost += [f"acknowledged log {t} is missing" for t in self.titles - titles]
            lost += [f"acknowledged add {n} is missing" for n in self.names - names]
            lost += [f"acknowledged renewal (fee {f}) is missing" for f in self.fees - fees]
            lost += [f"acknowledged removal of {t} undone" for t in self.removed & titles]
            for title, name in self.proof_of.items():
                row = conn.execute("SELECT proof_name FROM activities WHERE title = ?", (title,)).fetchone()
                if row is not None and row[0] != name:
                    lost.append(f"acknowledged proof edit of {title} ({name}) is missing (proof: {row[0]})")
            if acked and marker[0] == "notes":
                notes = conn.execute("SELECT notes FROM credentials WHERE id = 1").fetchone()[0]
                if notes != marker[1]:
                    lost.append(f"acknowledged edit {marker[1]} is missing (notes: {notes})")
            half = conn.execute(
                """SELECT title FROM activities a WHERE title LIKE 'crash-%' AND (
                       NOT EXISTS (SELECT 1 FROM activity_categories k WHERE k.activity_id = a.id)
                    OR NOT EXISTS (SELECT 1 FROM credits cr WHERE cr.activity_id = a.id AND cr.credential_id = 1))"""
            ).fetchall()
            lost += [f"half-written activity {row[0]}" for row in half]
        finally:
            conn.close()
        return lost

    def calibrate(self):
        """How long each command takes here, so kills land anywhere from its start to its end."""
        for kind in KINDS:
            for _ in range(2):
                self.trial(kind, kill=False)
        self.counts.clear()

    def trial(self, kind: str, kill: bool = True):
        args, marker = self._command(kind)
        started = time.monotonic()
        process = self.recert.popen(self.dir, args)
        if kill:
            time.sleep(self.rng.uniform(0, 1.3 * self.typical[kind]))
        killed = kill and process.poll() is None
        if killed:
            process.kill()
        _, stderr = process.communicate()
        elapsed = time.monotonic() - started
        self.counts["tried"] += 1
        if killed:
            landed = self._landed(marker)
            self.counts["killed after the commit" if landed else "killed before the commit"] += 1
            if landed:
                self._acknowledge(marker)  # there now: it must stay
        elif process.returncode == 0:
            self.counts["finished before the kill"] += 1
            if kill:
                self.typical[kind] = 0.8 * self.typical[kind] + 0.2 * elapsed
            else:
                self.typical[kind] = max(self.typical[kind], elapsed)
            self._acknowledge(marker)
        else:
            text = stderr.decode(errors="replace")
            crashed = process.returncode == 101 or "panicked" in text
            self.counts["crashed" if crashed else "failed"] += 1
            self.findings.integrity.append(f"recert {args[:2]} exited {process.returncode}: {text.strip()[:200]}")
        # The next start: a writing command must work, and tidies what a kill left in proofs/.
        restart = self.recert.run(self.dir, ["confirm", "1"])
        if restart.code != 0:
            self.counts["restart failed"] += 1
            self.findings.integrity.append(f"restart after {kind}: {restart.stderr.strip()[:200]}")
        found = check_folder(self.dir, settled=True)
        found.lost += self._lost(marker, acked=not killed and process.returncode == 0)
        self.findings.extend(found)

    def run(self, trials: int) -> dict:
        self.calibrate()
        for index in range(trials):
            self.trial(KINDS[index % len(KINDS)])
        figures = ["tried", "finished before the kill", "killed before the commit", "killed after the commit",
                   "crashed", "failed", "restart failed"]
        counts = {key: self.counts[key] for key in figures}
        counts["lost"] = len(self.findings.lost)
        counts["integrity failures"] = len(self.findings.integrity)
        counts["proof problems"] = len(self.findings.proofs)
        return counts

