"""The doors data goes out and comes in by (issue 18): `--out` over every kind of path, restoring
every kind of wrong database, importing hostile spreadsheets, and writers racing to one output.

Each trial checks what a user would lose: the database and its backups unchanged by a refusal
(`sqlite3 .dump`, the list of backups), the folder whole afterwards (`check_folder`), a file the
user did not agree to replace left as it was, a device or FIFO left a device or FIFO, no command
hanging, and every refusal one clean line."""

import csv
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import time
import zipfile
from collections import Counter
from pathlib import Path

from common import Recert, Run, check_folder, database, dump, one_clean_line

# Migration 11 (sync) taken out again: its triggers, uid columns and tables.
UNDO_SYNC_MIGRATION = (
    "DROP TRIGGER credentials_uid; DROP TRIGGER credentials_sync_insert; DROP TRIGGER "
    "credentials_sync_update; DROP TRIGGER credentials_sync_delete; DROP TRIGGER "
    "past_cycles_uid; DROP TRIGGER past_cycles_sync_insert; DROP TRIGGER "
    "past_cycles_sync_update; DROP TRIGGER past_cycles_sync_delete; DROP TRIGGER "
    "activities_uid; DROP TRIGGER activities_sync_insert; DROP TRIGGER activities_sync_update; "
    "DROP TRIGGER activities_sync_delete; DROP TRIGGER reminder_log_uid; DROP TRIGGER "
    "reminder_log_sync_insert; DROP TRIGGER reminder_log_sync_update; DROP TRIGGER "
    "reminder_log_sync_delete; DROP TRIGGER credits_sync_insert; DROP TRIGGER "
    "credits_sync_update; DROP TRIGGER credits_sync_delete; DROP TRIGGER "
    "activity_categories_sync_insert; DROP TRIGGER activity_categories_sync_update; DROP "
    "TRIGGER activity_categories_sync_delete; DROP TRIGGER activity_approvals_sync_insert; DROP "
    "TRIGGER activity_approvals_sync_update; DROP TRIGGER activity_approvals_sync_delete; DROP "
    "TRIGGER reminder_snoozes_sync_insert; DROP TRIGGER reminder_snoozes_sync_update; DROP "
    "TRIGGER reminder_snoozes_sync_delete; DROP TRIGGER settings_sync_insert; DROP TRIGGER "
    "settings_sync_update; DROP TRIGGER settings_sync_delete; DROP INDEX credentials_by_uid; "
    "ALTER TABLE credentials DROP COLUMN uid; DROP INDEX past_cycles_by_uid; ALTER TABLE "
    "past_cycles DROP COLUMN uid; DROP INDEX activities_by_uid; ALTER TABLE activities DROP "
    "COLUMN uid; DROP INDEX reminder_log_by_uid; ALTER TABLE reminder_log DROP COLUMN uid; DROP "
    "TABLE sync_device; DROP TABLE sync_dirty; DROP TABLE sync_fields; DROP TABLE sync_waiting; "
    "DROP TABLE sync_peers; DROP TABLE sync_applied_files; DROP TABLE sync_overwritten; "
)

OUT_COMMANDS = [["export-csv"], ["calendar"], ["audit-packet", "1"]]
HANG = 30  # seconds after which a command counts as hung


class Doors:
    def __init__(self, recert: Recert, workdir: Path, quick: bool):
        self.recert, self.quick = recert, quick
        self.work = workdir / "doors"
        self.work.mkdir()
        self.outside = self.work / "outside"
        self.outside.mkdir()
        self.counts = Counter()
        self.problems = []

    # -- running and judging ----------------------------------------------------------------

    def _run(self, data_dir: Path, args: list) -> Run | None:
        """One run, or None when it did not end within HANG seconds (then it is killed)."""
        try:
            run = self.recert.run(data_dir, args, timeout=HANG)
        except subprocess.TimeoutExpired:
            self.counts["hangs"] += 1
            self.problems.append(f"recert {' '.join(args)[:120]}: still running after {HANG} s")
            return None
        self.counts["runs"] += 1
        if run.crashed:
            self.counts["panics"] += 1
            self.problems.append(f"recert {' '.join(args)[:120]}: crashed: {run.stderr.strip()[:200]}")
        return run

    def _refused(self, run: Run | None, what: str, mentions: str = "", per_line: bool = False) -> bool:
        """A refusal as users must see it; counts a bad one (accepted, or not one clean line;
        `per_line`: an import names each bad line on its own, then says nothing was imported)."""
        if run is None or run.crashed:
            return False
        if run.code == 0:
            self.counts["accepted, should refuse"] += 1
            self.problems.append(f"{what}: accepted (exit 0): {run.stdout.strip()[:160]}")
            return False
        lines = run.stderr.rstrip("\n").split("\n") if per_line else [run.stderr]
        clean = all(one_clean_line(Run(run.args, run.code, "", line)) for line in lines)
        if not clean or mentions.lower() not in run.stderr.lower():
            self.counts["refused badly"] += 1
            self.problems.append(f"{what}: {run.stderr.strip()[:240]!r}")
            return False
        self.counts["refused cleanly"] += 1
        return True

    def _lost(self, what: str):
        self.counts["lost writes"] += 1
        self.problems.append(f"{what}")

    def _check(self, data_dir: Path, what: str):
        found = check_folder(data_dir, settled=False)
        for problem in found.integrity + found.lost + found.proofs:
            self.counts["integrity failures"] += 1
            self.problems.append(f"{what}: {problem}")

    def _folder(self, name: str, proof: bool = True) -> Path:
        """A data folder with two credentials, a course and one with a proof."""
        folder = self.work / name
        self.recert.ok(folder, ["add", "--preset", "nsca-cscs", "--earned", "2015-06-01"])
        self.recert.ok(folder, ["add", "--preset", "nasm-cpt", "--earned", "2025-02-10"])
        self.recert.ok(folder, ["log", "--title", "Clinic", "--date", "2026-05-01", "--hours", "1.5"])
        if proof:
            certificate = self.outside / f"{name}-cert.pdf"
            certificate.write_bytes(os.urandom(200_000))
            self.recert.ok(folder, ["log", "--title", "Proved", "--date", "2026-05-02", "--hours", "2",
                                    "--proof", str(certificate)])
        return folder

    @staticmethod
    def _backups(folder: Path) -> list:
        backups = folder / "backups"
        return sorted(p.name for p in backups.iterdir()) if backups.is_dir() else []

    # -- --out over every kind of path ---------------------------------------------------------

    def out_paths(self):
        folder = self._folder("out")
        self.recert.ok(folder, ["backup"])
        backup = next((folder / "backups").iterdir())
        own = {
            "the database": database(folder),
            "its WAL": Path(f"{database(folder)}-wal"),
            "a backup": backup,
            "a new name in backups/": folder / "backups" / "new.zip",
            "a new name in proofs/": folder / "proofs" / "new.csv",
        }
        link_to_database = self.outside / "link-to-database.csv"
        link_to_database.symlink_to(database(folder))
        own["a link to the database"] = link_to_database
        fifo = self.outside / "pipe.csv"
        os.mkfifo(fifo)
        special = {"a FIFO": fifo, "a folder": self.outside}
        if os.geteuid() == 0:
            # Root may replace a device node: use one of our own (a second /dev/null).
            device = self.outside / "null-device"
            os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
            special["a device"] = device
        else:
            special["a device"] = Path("/dev/null")
        for command in OUT_COMMANDS:
            for kind, path in own.items():
                before, backups = dump(folder), (backup.read_bytes(), self._backups(folder))
                run = self._run(folder, [*command, "--out", str(path)])
                what = f"{command[0]} --out {kind}"
                self._refused(run, what, "Recert's own")
                if dump(folder) != before or (backup.read_bytes(), self._backups(folder)) != backups:
                    self._lost(f"{what}: the data or a backup changed")
            for kind, path in special.items():
                mode = path.lstat().st_mode
                run = self._run(folder, [*command, "--out", str(path)])
                self._refused(run, f"{command[0]} --out {kind}")
                if stat.S_IFMT(path.lstat().st_mode) != stat.S_IFMT(mode):
                    self._lost(f"{command[0]} --out {kind}: replaced by a regular file")
            # An existing file: kept without --force, replaced with it; no temporary file left.
            mine = self.outside / f"mine-{command[0]}"
            mine.write_text("the user's own file")
            run = self._run(folder, [*command, "--out", str(mine)])
            self._refused(run, f"{command[0]} --out an existing file", "--force")
            if mine.read_text(errors="replace") != "the user's own file":
                self._lost(f"{command[0]} --out an existing file without --force: replaced")
            run = self._run(folder, [*command, "--out", str(mine), "--force"])
            if run is not None and run.code != 0:
                self.counts["refused badly"] += 1
                self.problems.append(f"{command[0]} --out an existing file --force: {run.stderr.strip()[:200]!r}")
            # A link planted at the old temporary name is never followed.
            victim = self.outside / "victim.txt"
            victim.write_text("precious")
            planted = self.outside / f".planted-{command[0]}.partial"
            planted.unlink(missing_ok=True)
            planted.symlink_to(victim)
            self._run(folder, [*command, "--out", str(self.outside / f"planted-{command[0]}"), "--force"])
            if victim.read_text() != "precious":
                self._lost(f"{command[0]}: a link at the temporary name was followed")
            # A read-only folder (root writes anyway: then it proves nothing and is skipped).
            if os.geteuid() != 0:
                locked = self.outside / "locked"
                locked.mkdir(exist_ok=True)
                locked.chmod(0o555)
                run = self._run(folder, [*command, "--out", str(locked / "file"), "--force"])
                self._refused(run, f"{command[0]} --out a read-only folder")
                locked.chmod(0o755)
            else:
                self.counts["read-only folder skipped (root)"] += 1
        leftovers = [p.name for p in self.outside.iterdir() if p.name.endswith(".partial") and not p.is_symlink()]
        if leftovers:
            self.counts["temporary files left"] += len(leftovers)
            self.problems.append(f"temporary files left: {leftovers[:3]}")
        self._check(folder, "after --out")

    # -- restoring every kind of wrong database ------------------------------------------------

    def _variant(self, folder: Path, name: str, sql: str) -> Path:
        path = self.outside / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(database(folder))
        conn.execute("VACUUM INTO ?", (str(path),))
        conn.close()
        copy = sqlite3.connect(path)
        copy.executescript(sql)
        copy.close()
        return path

    def restores(self):
        folder = self._folder("restore")
        self.recert.ok(folder, ["backup"])
        v = self._variant
        wrong = {
            "another program's database": self.outside / "foreign.sqlite3",
            "Recert's table names, another layout": self.outside / "layout.sqlite3",
            "an extra trigger": v(folder, "trigger", "CREATE TRIGGER t AFTER INSERT ON activities "
                                                     "BEGIN DELETE FROM activities WHERE id < NEW.id; END;"),
            "an extra view": v(folder, "view", "CREATE VIEW v AS SELECT * FROM credentials;"),
            "an extra index": v(folder, "index", "CREATE INDEX i ON activities(title);"),
            "an extra column": v(folder, "column", "ALTER TABLE activities ADD COLUMN x TEXT;"),
            "an older version number on today's schema": v(folder, "renumbered", "PRAGMA user_version = 6;"),
            "a newer version": v(folder, "newer", "PRAGMA user_version = 999;"),
            "a proof outside proofs/": v(folder, "outside", "UPDATE activities SET proof_path = '../../../etc/passwd' "
                                                            "WHERE proof_path IS NOT NULL;"),
            "totals that disagree with the ledger": v(folder, "totals", "UPDATE cycle_totals SET units = units + 9;"),
            "a missing file": self.outside / "no-such-backup.sqlite3",
            "a FIFO": self.outside / "backup-fifo.sqlite3",
            "a text file": self.outside / "notes.sqlite3",
        }
        foreign = sqlite3.connect(wrong["another program's database"])
        foreign.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        foreign.close()
        # Claiming this Recert's own schema version, so it is judged by its layout, not migrated.
        current = sqlite3.connect(database(folder)).execute("PRAGMA user_version").fetchone()[0]
        layout = sqlite3.connect(wrong["Recert's table names, another layout"])
        layout.executescript(
            f"CREATE TABLE credentials (x); CREATE TABLE activities (y); PRAGMA user_version = {current};")
        layout.close()
        os.mkfifo(wrong["a FIFO"])
        wrong["a text file"].write_text("my notes\n" * 100)
        damaged = v(folder, "damaged", "")
        data = bytearray(damaged.read_bytes())
        data[4096 * 2:4096 * 3] = os.urandom(4096)
        damaged.write_bytes(bytes(data))
        wrong["a damaged file"] = damaged
        for kind, path in wrong.items():
            before, backups = dump(folder), self._backups(folder)
            run = self._run(folder, ["restore", str(path), "--yes"])
            self._refused(run, f"restore {kind}")
            if dump(folder) != before:
                self._lost(f"restore {kind}: the data changed")
            if self._backups(folder) != backups:
                self.counts["stray backups"] += 1
                self.problems.append(f"restore {kind}: left a backup behind")
        self._check(folder, "after wrong restores")
        # What must restore: an older Recert's backup (migrated), and any backup over a damaged
        # or foreign database; the folder works afterwards.
        # Version 6: the tables, columns and triggers of migrations 7 and later taken out again.
        older = v(folder, "older", UNDO_SYNC_MIGRATION + " DROP TABLE planned_course_approvals; DROP TABLE planned_course_categories; "
                  "DROP TABLE planned_courses; DROP TABLE activity_approvals; "
                  # Version 6 had no pending credits: its totals count every credit.
                  "DELETE FROM credits WHERE standing != 'counted'; ALTER TABLE credits DROP COLUMN standing; "
                  "DELETE FROM settings WHERE key = 'catalog_refresh_from'; DROP TABLE catalogs; "
                  "ALTER TABLE past_cycles DROP COLUMN expiry_was_confirmed; "
                  "DROP TABLE open_notifications; PRAGMA user_version = 6;")
        good = v(folder, "good", "")
        for kind, spoil in [
            ("over a sound database", lambda: None),
            ("over a damaged database", lambda: self._spoil(folder)),
            ("over another program's database", lambda: self._replace_with(folder, wrong["another program's database"])),
        ]:
            for backup_kind, backup in [("an older Recert's backup", older), ("a backup", good)]:
                spoil()
                run = self._run(folder, ["restore", str(backup), "--yes"])
                what = f"restore {backup_kind} {kind}"
                if run is not None and run.code != 0:
                    self.counts["refused, should restore"] += 1
                    self.problems.append(f"{what}: {run.stderr.strip()[:240]!r}")
                    continue
                self.counts["restored"] += 1
                status = self._run(folder, ["status"])
                if status is not None and status.code != 0:
                    self.counts["restored, then broken"] += 1
                    self.problems.append(f"{what}: status then fails: {status.stderr.strip()[:200]!r}")
                self._check(folder, what)
        # Proofs survive going back and forth: restore an older backup, log, restore the data it replaced.
        self.recert.ok(folder, ["restore", str(good), "--yes"])
        proofs_before = sorted(p.name for p in (folder / "proofs").iterdir())
        empty = v(folder, "emptied", "DELETE FROM credits; DELETE FROM cycle_totals; DELETE FROM activity_categories; "
                                     "DELETE FROM activities;")
        restored = self.recert.ok(folder, ["restore", str(empty), "--yes", "--json"])
        saved = json.loads(restored.stdout)["previous_data_saved_to"]
        self.recert.ok(folder, ["log", "--title", "Meanwhile", "--date", "2026-05-03", "--hours", "1"])
        self.recert.ok(folder, ["restore", saved, "--yes"])
        self._check(folder, "back and forth between backups")
        if sorted(p.name for p in (folder / "proofs").iterdir()) != proofs_before:
            self._lost("back and forth between backups: a proof file was lost")

    def _spoil(self, folder: Path):
        db = database(folder)
        try:
            conn = sqlite3.connect(db)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        except sqlite3.DatabaseError:
            pass  # damaged already
        data = bytearray(db.read_bytes())
        data[100:4096] = os.urandom(3996)
        db.write_bytes(bytes(data))

    @staticmethod
    def _replace_with(folder: Path, other: Path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database(folder)}{suffix}").unlink(missing_ok=True)
        shutil.copy(other, database(folder))

    # -- hostile spreadsheets ------------------------------------------------------------------

    def spreadsheets(self):
        folder = self._folder("sheets", proof=False)
        sheets = self.outside / "sheets"
        sheets.mkdir()

        def sheet(name: str, text: str | bytes) -> Path:
            path = sheets / name
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
            return path

        refused = {
            "UTF-16": (sheet("utf16.csv", "\ufeffdate,title,hours\r\n2026-05-03,X,1\r\n".encode("utf-16-le")), "UTF-16"),
            "an unclosed quote": (sheet("quote.csv", 'date,title,hours\n2026-05-03,"Open,1\n2026-05-04,B,1\n'), "quote"),
            "90 min beside a logged 1.5 h": (sheet("dup1.csv", "date,title,hours\n2026-05-01,Clinic,90 min\n"), "already"),
            "1h30 beside a logged 1.5 h": (sheet("dup2.csv", "date,title,hours\n2026-05-01,clinic,1h30\n"), "already"),
            "100,000 categories in a cell": (sheet("cats.csv", "date,title,hours,categories\n2026-05-03,W,1,"
                                                   + ";".join(f"c{n}" for n in range(100_000)) + "\n"), "categories"),
            "a FIFO": (sheets / "fifo.csv", "regular file"),
            "a device": (Path("/dev/zero"), "regular file"),
            "a file over 64 MB": (sheets / "huge.csv", "larger than"),
        }
        os.mkfifo(sheets / "fifo.csv")
        with open(sheets / "huge.csv", "wb") as huge:
            huge.truncate(65 << 20)
        for kind, (path, mentions) in refused.items():
            before = dump(folder)
            started = time.monotonic()
            run = self._run(folder, ["import-csv", str(path)])
            self._refused(run, f"import {kind}", mentions, per_line=True)
            if time.monotonic() - started > 10:
                self.counts["slow refusals"] += 1
                self.problems.append(f"import {kind}: {time.monotonic() - started:.0f} s to refuse")
            if dump(folder) != before:
                self._lost(f"import {kind}: the data changed")
        # 10 h is not a duplicate of a 1 h course.
        self.recert.ok(folder, ["log", "--title", "Short", "--date", "2026-05-05", "--hours", "1"])
        run = self._run(folder, ["import-csv", str(sheet("ten.csv", "date,title,hours\n2026-05-05,Short,10\n"))])
        if run is not None and run.code != 0:
            self.counts["refused, should import"] += 1
            self.problems.append(f"import 10 h beside a 1 h course: {run.stderr.strip()[:200]!r}")
        # Formulas go out as text and come back unchanged.
        formulas = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "'=quoted"]
        for n, title in enumerate(formulas):
            self.recert.ok(folder, ["log", f"--title={title}", "--date", f"2026-04-0{n + 1}", "--hours", "1"])
        exported = self.outside / "formulas.csv"
        packet = self.outside / "formulas.zip"
        self.recert.ok(folder, ["export-csv", "--out", str(exported), "--force"])
        self.recert.ok(folder, ["audit-packet", "1", "--out", str(packet), "--force"])
        with zipfile.ZipFile(packet) as z:
            packed = z.read("activities.csv").decode()
        for text, where in [(exported.read_text(encoding="utf-8-sig"), "export-csv"), (packed, "activities.csv")]:
            for row in list(csv.reader(text.splitlines()))[1:]:
                if any(cell[:1] in ("=", "+", "-", "@") for cell in row[1:3]):
                    self.counts["formulas written as formulas"] += 1
                    self.problems.append(f"{where}: a cell a spreadsheet runs: {row[1][:60]!r}")
        other = self.work / "sheets-other"
        self.recert.ok(other, ["add", "--preset", "nsca-cscs", "--earned", "2015-06-01"])
        self.recert.ok(other, ["add", "--preset", "nasm-cpt", "--earned", "2025-02-10"])
        self.recert.ok(other, ["import-csv", str(exported)])
        titles = {row[0] for row in sqlite3.connect(database(other)).execute("SELECT title FROM activities")}
        for title in formulas:
            if title not in titles:
                self._lost(f"formula-like title {title!r} did not come back unchanged")
        # A large import, timed, beside a writer that must not wait for it.
        rows = 5_000 if self.quick else 20_000
        big = sheet("big.csv", "date,title,hours\r\n" + "".join(
            f"2026-{n % 10 + 1:02}-{n % 28 + 1:02},Course {n},1\r\n" for n in range(rows)))
        started = time.monotonic()
        importing = self.recert.popen(folder, ["import-csv", str(big)])
        time.sleep(0.3)
        logged = self._run(folder, ["log", "--title", "Beside", "--date", "2026-05-06", "--hours", "1"])
        log_seconds = time.monotonic() - started
        try:
            _, err = importing.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            importing.kill()
            self.counts["hangs"] += 1
            self.problems.append(f"import of {rows} rows: still running after 300 s")
            return
        self.counts[f"import of {rows} rows, seconds"] = round(time.monotonic() - started, 1)
        if importing.returncode != 0:
            self.problems.append(f"import of {rows} rows failed: {err.decode(errors='replace')[:200]!r}")
            self.counts["refused, should import"] += 1
        if logged is not None and (logged.code != 0 or log_seconds > 15):
            self.counts["writers blocked by an import"] += 1
            self.problems.append(f"a log beside the import: exit {logged.code} after {log_seconds:.0f} s")
        self._check(folder, "after the imports")

    # -- writers racing to one output ----------------------------------------------------------

    def racing_writers(self):
        folder = self._folder("race")
        big = self.outside / "big-proof.pdf"
        big.write_bytes(os.urandom(8 << 20))
        self.recert.ok(folder, ["log", "--title", "Big", "--date", "2026-05-04", "--hours", "1", "--proof", str(big)])
        target = self.outside / "raced.zip"
        rounds = 3 if self.quick else 10
        for _ in range(rounds):
            runs = [self.recert.popen(folder, ["audit-packet", "1", "--out", str(target), "--force"]) for _ in range(4)]
            codes = [p.wait(timeout=120) for p in runs]
            for p in runs:
                p.stdout.close()
                p.stderr.close()
            self.counts["racing writers"] += len(runs)
            try:
                with zipfile.ZipFile(target) as z:
                    bad = z.testzip()
            except zipfile.BadZipFile as error:
                bad = str(error)
            if bad is not None or any(code != 0 for code in codes):
                self.counts["outputs damaged by a race"] += 1
                self.problems.append(f"four audit packets at once: exit codes {codes}, bad member {bad!r}")
        leftovers = [p.name for p in self.outside.iterdir() if p.name.endswith(".partial") and not p.is_symlink()]
        if leftovers:
            self.counts["temporary files left"] += len(leftovers)
            self.problems.append(f"temporary files left by racing writers: {leftovers[:3]}")

    def run(self) -> dict:
        for section in (self.out_paths, self.restores, self.spreadsheets, self.racing_writers):
            try:
                section()
            except (SystemExit, OSError, sqlite3.Error, zipfile.BadZipFile) as error:
                # A step the trials depend on failed (what it found is counted): go on.
                self.counts["setup failures"] += 1
                self.problems.append(f"{section.__name__}: {type(error).__name__}: {error}")
        figures = ["runs", "refused cleanly", "refused badly", "accepted, should refuse", "refused, should restore",
                   "refused, should import", "restored", "restored, then broken", "lost writes", "stray backups",
                   "integrity failures", "formulas written as formulas", "outputs damaged by a race", "racing writers",
                   "writers blocked by an import", "slow refusals", "temporary files left", "hangs", "panics",
                   "setup failures"]
        shown = {key: self.counts[key] for key in figures}
        shown.update({k: v for k, v in self.counts.items() if k not in shown})
        return shown

