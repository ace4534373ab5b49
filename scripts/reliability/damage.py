"""Damaged files: a page of random bytes, a truncated file, a 0-byte file, a text file, a schema
version from a newer Recert or from nowhere, another program's database. Every command must
refuse with one line, naming a backup where one is good, and leave the file as it was."""

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

from common import Recert, database, one_clean_line

COMMANDS = [
    ["status"], ["show", "1"], ["activities"], ["costs"], ["reminders"], ["settings"], ["remind", "--dry-run"],
    ["remind"], ["backup"], ["confirm", "1"], ["edit", "1", "--notes", "n"], ["renew", "1", "--date", "2026-11-01", "--yes"],
    ["remove-activity", "1"], ["settings", "--lead-days", "30"],
    ["log", "--title", "T", "--date", "2026-05-01", "--hours", "1"],
    ["add", "--preset", "nasm-cpt", "--earned", "2025-02-10"],
    ["backups"], ["undo-renewal", "1"], ["edit-activity", "1", "--notes", "n"],
    ["export-csv", "--out", "/dev/null/recert.csv"], ["calendar", "--out", "/dev/null/recert.ics"],
    ["audit-packet", "1", "--out", "/dev/null/recert.zip"], ["import-csv", "/dev/null", "--dry-run"],
    ["import-csv", "/dev/null"], ["restore", "/dev/null", "--yes"], ["settings", "--calendar-file", ""],
]


def activity_pages(path: Path) -> list:
    """The pages of the activities table (SQLite's dbstat when this Python has it, else the root)."""
    conn = sqlite3.connect(path)
    try:
        try:
            return [row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = 'activities'")]
        except sqlite3.OperationalError:
            return [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'activities'").fetchone()[0]]
    finally:
        conn.close()


class Damage:
    def __init__(self, recert: Recert, workdir: Path, rng, quick: bool):
        self.recert, self.rng = recert, rng
        self.repeats = 2 if quick else 6
        self.template = workdir / "damage-template"
        self.work = workdir / "damage-work"
        recert.ok(self.template, ["add", "--preset", "ncsf-cpt", "--earned", "2025-03-14"])
        recert.ok(self.template, ["log", "--title", "Course", "--date", "2026-01-01", "--hours", "2"])
        conn = sqlite3.connect(database(self.template))
        conn.executemany(
            "INSERT INTO activities (title, completed_on, hours, created_at) VALUES (?, '2026-01-01', 100, 'x')",
            [(f"Archived course {n} with a title long enough to fill pages",) for n in range(600)],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        recert.ok(self.template, ["backup"])
        self.page_size = 4096
        self.counts = Counter()
        self.problems = []

    def _damages(self):
        """(name, how to damage the copied folder, whether a backup must be named)."""
        def noise_on_a_page(folder: Path):
            path = database(folder)
            page = self.rng.choice(activity_pages(path))
            data = bytearray(path.read_bytes())
            start = (page - 1) * self.page_size
            data[start:start + self.page_size] = self.rng.randbytes(self.page_size)
            path.write_bytes(bytes(data))

        def truncated(folder: Path):
            path = database(folder)
            data = path.read_bytes()
            path.write_bytes(data[: self.rng.randrange(self.page_size, len(data) - self.page_size)])

        def version(value: int):
            def set_version(folder: Path):
                conn = sqlite3.connect(database(folder))
                conn.execute(f"PRAGMA user_version = {value}")
                conn.close()
            return set_version

        def foreign(folder: Path):
            database(folder).unlink()
            conn = sqlite3.connect(database(folder))
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.close()

        for _ in range(self.repeats):
            yield "a page of random bytes", noise_on_a_page, True
            yield "a truncated file", truncated, True
        yield "a 0-byte file", lambda folder: database(folder).write_bytes(b""), True
        yield "a text file", lambda folder: database(folder).write_text("my notes\n" * 500), True
        yield "a newer schema version", version(999), False
        yield "schema version -1", version(-1), True
        yield "another program's database", foreign, True

    def run(self) -> dict:
        for name, damage, names_backup in self._damages():
            shutil.rmtree(self.work, ignore_errors=True)
            shutil.copytree(self.template, self.work)
            damage(self.work)
            before = database(self.work).read_bytes()
            for args in COMMANDS:
                run = self.recert.run(self.work, args)
                self.counts["tried"] += 1
                shown = f"{name}: recert {' '.join(args[:2])}"
                after = database(self.work).read_bytes()
                if run.crashed:
                    self.counts["crashed"] += 1
                    self.problems.append(f"{shown}: crashed: {run.stderr.strip()[:200]}")
                elif run.code == 0:
                    self.counts["accepted (damage unnoticed)"] += 1
                    self.problems.append(f"{shown}: exited 0")
                elif after != before:
                    self.counts["changed the file"] += 1
                    self.problems.append(f"{shown}: the damaged file was written to")
                elif not one_clean_line(run) or (names_backup and "backup" not in run.stderr):
                    self.counts["refused badly"] += 1
                    self.problems.append(f"{shown}: {run.stderr.strip()[:300]!r}")
                else:
                    self.counts["refused cleanly"] += 1
        figures = ["tried", "refused cleanly", "refused badly", "accepted (damage unnoticed)", "changed the file",
                   "crashed"]
        return {key: self.counts[key] for key in figures}
