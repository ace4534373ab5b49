"""Writers and readers in separate processes at once, as the window, its scheduler, cron and
scripts are: edits and renewals racing logs, reminder checkers racing each other, commands
racing on a new data folder. Every run must succeed and every invariant hold."""

import json
import subprocess
import threading
from collections import Counter
from pathlib import Path

from common import Findings, Recert, check_folder, connect

CUSTOM = ["--body", "B", "--earned", "2025-01-01", "--cycle-years", "3", "--units", "100", "--unit", "CEU",
          "--hours-per-unit", "1"]


def race(recert: Recert, data_dir: Path, lanes: list, today: str = "2026-11-23") -> list:
    """Runs each lane (a list of argument lists) in its own thread, all lanes at once."""
    results = [[] for _ in lanes]

    def drive(index, lane):
        for args in lane:
            results[index].append(recert.run(data_dir, args, today))

    threads = [threading.Thread(target=drive, args=(i, lane)) for i, lane in enumerate(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [run for lane in results for run in lane]


def logs(prefix: str, count: int) -> list:
    return [["log", "--title", f"{prefix}{n}", "--date", "2026-05-01", "--hours", "2", "--json"] for n in range(count)]


def credited_units(run) -> int | None:
    outcome = json.loads(run.stdout)["outcomes"][0]
    return round(outcome["units"] * 100) if outcome["credited"] else None


class Concurrency:
    def __init__(self, recert: Recert, workdir: Path, notifier: "Notifier | None"):
        self.recert, self.workdir, self.notifier = recert, workdir / "concurrent", notifier
        self.counts = Counter()
        self.findings = Findings()
        self.races = []
        self.round = 0

    def _fresh(self) -> Path:
        self.round += 1
        return self.workdir / f"round-{self.round}"

    def _account(self, runs: list):
        for run in runs:
            self.counts["runs"] += 1
            if run.crashed:
                self.counts["crashed"] += 1
                self.races.append(f"recert {run.args[:2]} crashed: {run.stderr.strip()[:200]}")
            elif run.code != 0:
                self.counts["failed"] += 1
                self.races.append(f"recert {run.args[:2]} failed: {run.stderr.strip()[:200]}")

    def edits_racing_logs(self):
        data = self._fresh()
        self.recert.ok(data, ["add", "--name", "C", *CUSTOM])
        edits = [["edit", "1", "--hours-per-unit", "2" if n % 2 == 0 else "1"] for n in range(10)]
        readers = [["status", "--json"], ["activities", "--json"], ["show", "1", "--json"]] * 2
        runs = race(self.recert, data, [logs("a", 10), logs("b", 10), edits, readers])
        self._account(runs)
        conn = connect(data)
        try:
            hours_per_unit = json.loads(conn.execute("SELECT rules FROM credentials WHERE id = 1").fetchone()[0])
            credits = dict(conn.execute(
                "SELECT a.title, cr.units FROM activities a JOIN credits cr ON cr.activity_id = a.id"))
        finally:
            conn.close()
        expected = 200 * 100 // hours_per_unit["hours_per_unit"]
        for run in runs:
            if run.args[0] == "log" and run.code == 0 and credits.get(run.args[2]) != expected:
                self.races.append(f"edit racing log: {run.args[2]} holds {credits.get(run.args[2])}, not {expected}")
        self.findings.extend(check_folder(data, settled=True))

    def renewal_racing_logs(self):
        data = self._fresh()
        self.recert.ok(data, ["add", "--name", "C", *CUSTOM])
        runs = race(self.recert, data, [logs("a", 6), logs("b", 6), [["renew", "1", "--date", "2026-11-01", "--yes"]],
                                        [["status"], ["costs"]]])
        self._account(runs)
        conn = connect(data)
        try:
            credits = dict(conn.execute(
                "SELECT a.title, cr.units FROM activities a JOIN credits cr ON cr.activity_id = a.id"))
            closed = conn.execute("SELECT units_earned FROM past_cycles WHERE credential_id = 1").fetchall()
        finally:
            conn.close()
        for run in runs:
            if run.args[0] == "log" and run.code == 0 and credited_units(run) != credits.get(run.args[2]):
                self.races.append(f"renew racing log: {run.args[2]} said {credited_units(run)}, "
                                  f"the ledger holds {credits.get(run.args[2])}")
        if len(closed) != 1 or closed[0][0] != sum(credits.values()):
            self.races.append(f"renew racing log: closed cycle counted {closed}, its ledger {sum(credits.values())}")
        self.findings.extend(check_folder(data, settled=True))

    def first_run(self):
        data = self._fresh()
        lanes = [[["add", "--name", f"C{n}", *CUSTOM]] for n in range(4)] + [[["settings", "--lead-days", "30"]]]
        runs = race(self.recert, data, lanes)
        self._account(runs)
        conn = connect(data)
        try:
            held = conn.execute("SELECT COUNT(*) FROM credentials").fetchone()[0]
        finally:
            conn.close()
        if held != 4:
            self.races.append(f"first run: {held} of 4 credentials stored")

    def reminder_checkers(self):
        data = self._fresh()
        day = "2026-12-17"
        self.recert.ok(data, ["add", "--preset", "acsm-cpt", "--earned", "2024-03-01", "--expires", "2026-12-31"], day)
        self.recert.ok(data, ["add", "--preset", "cpr-aed-aha", "--earned", "2026-09-12"], day)
        before = len(self.notifier.summaries())
        runs = race(self.recert, data, [[["remind", "--json"]] for _ in range(6)], today=day)
        self._account(runs)
        shown = self.notifier.summaries()[before:]
        raised = sum(len(json.loads(run.stdout)) for run in runs if run.code == 0)
        if len(shown) != 2 or raised != 2 or len(set(shown)) != 2:
            self.races.append(f"reminder checkers: {len(shown)} notifications, {raised} raised, want 2: {shown}")

    def run(self, total_runs: int) -> dict:
        scenarios = [self.edits_racing_logs, self.renewal_racing_logs, self.first_run]
        if self.notifier:
            scenarios.append(self.reminder_checkers)
        index = 0
        while self.counts["runs"] < total_runs:
            scenarios[index % len(scenarios)]()
            index += 1
        counts = {key: self.counts[key] for key in ["runs", "crashed", "failed"]}
        counts["races"] = len(self.races)
        counts["integrity failures"] = len(self.findings.integrity) + len(self.findings.proofs)
        return counts


class Notifier:
    """The fake notification server (examples/fake_notifier.rs) on its private bus."""

    def __init__(self, binary: Path):
        self.process = subprocess.Popen([str(binary)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.address = self.process.stdout.readline().strip()

    def summaries(self) -> list:
        self.process.stdin.write("summaries\n")
        self.process.stdin.flush()
        lines = []
        while (line := self.process.stdout.readline().rstrip("\n")) != "end":
            lines.append(line)
        return lines

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)
