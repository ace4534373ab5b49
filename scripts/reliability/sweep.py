"""Bad values for every option of every subcommand: each must be refused with one short printable
line and an unchanged `sqlite3 .dump`, or stored exactly as typed."""

import shutil
from collections import Counter
from pathlib import Path

from common import Recert, check_folder, connect, dump, one_clean_line

HOSTILE = [
    "", " ", "-1", "0", "-0", "00", "1e3", "NaN", "inf", "+5", "0x1F", "12,5", "1.005", "١٢",
    "4294967296", "9223372036854775808", "99999999999999999999",
    "\x1b[31mred\x1b[0m", "a\u202eb", "tab\there", "new\nline", "x" * 100_000,
    "'; DROP TABLE credentials; --", "Robert'); --", "%s%n", "\\", '"quoted"', "💥🔥", "ＦＵＬＬ",
    "2026-02-30", "2026-13-01", "9999-12-31", "0000-01-01", "-2026-01-01", "26-1-1",
    "../../etc/passwd", "/dev/zero", "/", "/etc/passwd",
]
QUICK = ["", "-1", "4294967296", "\x1b[31mred", "x" * 100_000, "'; DROP TABLE credentials; --", "2026-02-30", "/"]

CUSTOM_ADD = ["add", "--name", "N", "--body", "B", "--earned", "2025-01-01", "--cycle-years", "2"]
LOG = ["log", "--title", "T", "--date", "2026-05-01", "--hours", "1"]
# Options whose accepted value must be stored as typed (trimmed): where to find it.
STORED = {
    ("add", "--name"): "SELECT name FROM credentials ORDER BY id DESC LIMIT 1",
    ("add", "--body"): "SELECT body FROM credentials ORDER BY id DESC LIMIT 1",
    ("add", "--abbreviation"): "SELECT abbreviation FROM credentials ORDER BY id DESC LIMIT 1",
    ("add", "--number"): "SELECT number FROM credentials ORDER BY id DESC LIMIT 1",
    ("add", "--notes"): "SELECT notes FROM credentials ORDER BY id DESC LIMIT 1",
    ("edit", "--name"): "SELECT name FROM credentials WHERE id = 1",
    ("edit", "--notes"): "SELECT notes FROM credentials WHERE id = 1",
    ("edit", "--number"): "SELECT number FROM credentials WHERE id = 1",
    ("log", "--title"): "SELECT title FROM activities ORDER BY id DESC LIMIT 1",
    ("log", "--provider"): "SELECT provider FROM activities ORDER BY id DESC LIMIT 1",
    ("log", "--notes"): "SELECT notes FROM activities ORDER BY id DESC LIMIT 1",
    ("log", "--category"): "SELECT category FROM activity_categories WHERE activity_id = (SELECT MAX(id) FROM activities)",
    ("edit-activity", "--title"): "SELECT title FROM activities WHERE id = 1",
    ("edit-activity", "--provider"): "SELECT provider FROM activities WHERE id = 1",
    ("edit-activity", "--notes"): "SELECT notes FROM activities WHERE id = 1",
}
# What an empty value stores instead: the abbreviation is derived from the name.
WHEN_EMPTY = {("add", "--abbreviation"): "N", ("edit", "--name"): "C"}


def with_value(base: list, option: str | None, value: str) -> list:
    """`base` with `option` set to `value` (replaced when present); `None`: a positional id."""
    args = list(base)
    if option is None:
        return [args[0], value, *args[1:]]
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return args


def cases():
    """(subcommand, option, base arguments): every option of every subcommand."""
    credential = ["--name", "--body", "--abbreviation", "--number", "--expires", "--notes", "--cycle-rule",
                  "--cycle-years", "--units", "--unit", "--hours-per-unit", "--fee", "--late-fee", "--grace",
                  "--due-soon-days"]
    for option in ["--preset", "--earned", "--already-earned", *credential]:
        yield "add", option, CUSTOM_ADD
    for option in ["--earned", "--cycle-start", "--member", "--member-fee", "--requires-cpr", "--category",
                   "--already-earned", *credential]:
        yield "edit", option, ["edit", "1"]
    yield "edit", None, ["edit", "--notes", "n"]
    for option in ["--title", "--date", "--hours", "--provider", "--cost", "--category", "--for", "--proof",
                   "--notes"]:
        yield "log", option, LOG
    for option in ["--date", "--fee", "--expires"]:
        yield "renew", option, ["renew", "1", "--date", "2026-11-01", "--yes"]
    yield "renew", None, ["renew", "--date", "2026-11-01", "--yes"]
    for option in ["--title", "--date", "--hours", "--provider", "--cost", "--category", "--for", "--proof",
                   "--notes"]:
        yield "edit-activity", option, ["edit-activity", "1"]
    yield "edit-activity", None, ["edit-activity", "--notes", "n"]
    for command in ["show", "confirm", "remove", "remove-activity", "undo-renewal"]:
        yield command, None, [command]
    # Hostile paths: a device that never ends, a folder, someone else's file (never written: the
    # option only reads, or refuses a file not ending in .ics).
    yield "import-csv", None, ["import-csv", "--dry-run"]
    yield "import-csv", None, ["import-csv"]
    yield "restore", None, ["restore", "--yes"]
    yield "settings", "--calendar-file", ["settings"]
    yield "costs", "--months", ["costs"]
    yield "reminders", "--limit", ["reminders"]
    yield "settings", "--lead-days", ["settings"]
    yield "catalog", None, ["catalog"]


class Sweep:
    def __init__(self, recert: Recert, workdir: Path, quick: bool):
        self.recert, self.values = recert, QUICK if quick else HOSTILE
        self.template = workdir / "sweep-template"
        self.work = workdir / "sweep-work"
        recert.ok(self.template, ["add", "--name", "C", "--body", "B", "--earned", "2025-01-01", "--cycle-years", "3",
                                  "--units", "100", "--unit", "CEU", "--hours-per-unit", "1"])
        recert.ok(self.template, ["add", "--preset", "nsca-cscs", "--earned", "2015-06-01"])
        recert.ok(self.template, [*LOG, "--category", "A"])
        self.before = dump(self.template)
        self.counts = Counter()
        self.problems = []

    def _try(self, command: str, option: str | None, args: list, value: str, today: str = "2026-11-23"):
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.copytree(self.template, self.work)
        run = self.recert.run(self.work, args, today)
        self.counts["tried"] += 1
        shown = f"recert {command} {option or 'ID'} {value[:30]!r}"
        if run.crashed:
            self.counts["crashed"] += 1
            self.problems.append(f"{shown}: crashed: {run.stderr.strip()[:200]}")
        elif run.code != 0:
            changed = dump(self.work) != self.before
            if one_clean_line(run) and not changed:
                self.counts["refused cleanly"] += 1
            else:
                self.counts["refused badly"] += 1
                why = "changed the database" if changed else f"not one clean line: {run.stderr[:200]!r}"
                self.problems.append(f"{shown}: {why}")
        else:
            self._accepted(command, option, value, shown)

    def _accepted(self, command: str, option: str | None, value: str, shown: str):
        found = check_folder(self.work, settled=True)
        if found.any():
            self.counts["accepted, then damaged"] += 1
            self.problems.append(f"{shown}: {found}")
            return
        query = STORED.get((command, option))
        if query is None:
            self.counts["accepted"] += 1  # a value with no single column to compare (a date, a rule…)
            return
        conn = connect(self.work)
        try:
            row = conn.execute(query).fetchone()
            stored = row[0] if row else None
        finally:
            conn.close()
        expected = value.strip() or WHEN_EMPTY.get((command, option))
        if stored == expected:
            self.counts["accepted, stored exactly"] += 1
        else:
            self.counts["accepted, stored differently"] += 1
            self.problems.append(f"{shown}: stored {str(stored)[:40]!r}")

    def run(self) -> dict:
        for command, option, base in cases():
            for value in self.values:
                self._try(command, option, with_value(base, option, value), value)
        for value in self.values:
            self._try("--today", "--today", ["status"], value, today=value)
        figures = ["tried", "refused cleanly", "refused badly", "accepted, stored exactly",
                   "accepted, stored differently", "accepted", "accepted, then damaged", "crashed"]
        return {key: self.counts[key] for key in figures}
