"""Recert's reliability harness: prints figures, not a verdict of a timed test.

    python3 scripts/reliability --recert target/release/recert --notifier target/release/examples/fake_notifier
    python3 scripts/reliability ... --quick          # a short run for CI

Kills writing commands at random moments, races processes, sweeps bad values over every option
and opens damaged files, then prints what it tried and what happened. Exits 1 when anything was
lost, damaged, crashed or raced; 0 otherwise. `make reliability` builds and runs it."""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Recert  # noqa: E402
from concurrency import Concurrency, Notifier  # noqa: E402
from crashes import KINDS, CrashTrials  # noqa: E402
from damage import Damage  # noqa: E402
from doors import Doors  # noqa: E402
from sweep import Sweep  # noqa: E402


def table(title: str, counts: dict, seconds: float):
    print(f"\n{title}" + (f" ({seconds:.0f} s)" if seconds else ""))
    for key, value in counts.items():
        print(f"  {key:<32} {value:>7}")


def show_problems(problems: list, limit: int = 10):
    for problem in problems[:limit]:
        print(f"    ! {problem}")
    if len(problems) > limit:
        print(f"    ! … and {len(problems) - limit} more")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recert", type=Path, required=True, help="the recert binary")
    parser.add_argument("--notifier", type=Path, help="examples/fake_notifier (reminder checkers race on it)")
    parser.add_argument("--crash-trials", type=int, default=500)
    parser.add_argument("--concurrent-runs", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="60 crash trials, 120 concurrent runs, fewer values")
    parser.add_argument("--seed", type=int, default=None, help="for the random kills, pages and sizes")
    parser.add_argument("--only", choices=["crashes", "concurrency", "sweep", "damage", "doors"],
                        help="run one section")
    args = parser.parse_args()
    if args.quick:
        args.crash_trials, args.concurrent_runs = min(args.crash_trials, 60), min(args.concurrent_runs, 120)
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    print(f"recert reliability: {args.recert} (seed {seed})")

    notifier = Notifier(args.notifier) if args.notifier else None
    recert = Recert(args.recert.resolve(), notifier.address if notifier else None)
    try:
        bad = run_sections(args, rng, recert, notifier)
    finally:
        if notifier:
            notifier.close()
    print(f"\n{'All held' if bad == 0 else f'{bad} PROBLEMS'}: lost writes, integrity failures, panics, races"
          f" and bad refusals counted above.")
    return 0 if bad == 0 else 1


def run_sections(args, rng, recert: Recert, notifier) -> int:
    """Runs every section and prints its figures; returns how many problems were found."""
    bad = 0
    totals = {"lost writes": 0, "integrity failures": 0, "panics": 0, "races": 0, "bad refusals": 0, "hangs": 0}

    def wanted(section: str) -> bool:
        return args.only in (None, section)

    with tempfile.TemporaryDirectory(prefix="recert-reliability-") as work:
        work = Path(work)

        if wanted("crashes"):
            bad += crash_section(args, rng, recert, work, totals)
        if wanted("concurrency"):
            bad += concurrency_section(args, recert, work, notifier, totals)
        if wanted("sweep"):
            bad += sweep_section(args, recert, work, totals)
        if wanted("damage"):
            bad += damage_section(args, rng, recert, work, totals)
        if wanted("doors"):
            bad += doors_section(args, recert, work, totals)
    table("Totals", totals, 0)
    return bad


def crash_section(args, rng, recert: Recert, work: Path, totals: dict) -> int:
    bad = 0
    started = time.monotonic()
    crashes = CrashTrials(recert, work, rng)
    counts = crashes.run(args.crash_trials)
    table("Crashes: kill -9 during " + ", ".join(KINDS), counts, time.monotonic() - started)
    problems = crashes.findings.lost + crashes.findings.integrity + crashes.findings.proofs
    show_problems(problems)
    bad += len(problems) + counts["crashed"]
    totals["lost writes"] += counts["lost"]
    totals["integrity failures"] += counts["integrity failures"] + counts["proof problems"]
    totals["panics"] += counts["crashed"]
    return bad


def concurrency_section(args, recert: Recert, work: Path, notifier, totals: dict) -> int:
    bad = 0
    started = time.monotonic()
    concurrency = Concurrency(recert, work, notifier)
    counts = concurrency.run(args.concurrent_runs)
    title = "Concurrency: edit/renew racing log, readers, first run" + (", reminder checkers" if notifier else "")
    table(title, counts, time.monotonic() - started)
    show_problems(concurrency.races + concurrency.findings.integrity + concurrency.findings.proofs)
    bad += len(concurrency.races) + len(concurrency.findings.integrity) + len(concurrency.findings.proofs)
    totals["races"] += counts["races"]
    totals["integrity failures"] += counts["integrity failures"]
    totals["panics"] += counts["crashed"]
    if not notifier:
        print("  (no --notifier: reminder checkers were not raced)")
    return bad


def sweep_section(args, recert: Recert, work: Path, totals: dict) -> int:
    bad = 0
    started = time.monotonic()
    sweep = Sweep(recert, work, args.quick)
    counts = sweep.run()
    table("Bad values: every option of every subcommand", counts, time.monotonic() - started)
    show_problems(sweep.problems)
    bad += len(sweep.problems)
    totals["panics"] += counts["crashed"]
    totals["bad refusals"] += counts["refused badly"] + counts["accepted, stored differently"]
    totals["integrity failures"] += counts["accepted, then damaged"]
    return bad


def damage_section(args, rng, recert: Recert, work: Path, totals: dict) -> int:
    bad = 0
    started = time.monotonic()
    damage = Damage(recert, work, rng, args.quick)
    counts = damage.run()
    table("Damaged files: every command", counts, time.monotonic() - started)
    show_problems(damage.problems)
    bad += len(damage.problems)
    totals["panics"] += counts["crashed"]
    totals["bad refusals"] += counts["refused badly"] + counts["accepted (damage unnoticed)"]
    totals["integrity failures"] += counts["changed the file"]
    return bad


def doors_section(args, recert: Recert, work: Path, totals: dict) -> int:
    """--out over every kind of path, wrong databases restored, hostile spreadsheets, racing writers."""
    started = time.monotonic()
    doors = Doors(recert, work, args.quick)
    counts = doors.run()
    table("Doors: --out paths, restores, spreadsheets, writers racing to one output", counts,
          time.monotonic() - started)
    show_problems(doors.problems)
    totals["lost writes"] += counts["lost writes"]
    totals["integrity failures"] += counts["integrity failures"] + counts["outputs damaged by a race"]
    totals["panics"] += counts["panics"]
    totals["hangs"] += counts["hangs"]
    totals["bad refusals"] += (counts["refused badly"] + counts["accepted, should refuse"]
                               + counts["refused, should restore"] + counts["refused, should import"]
                               + counts["formulas written as formulas"] + counts["stray backups"])
    return len(doors.problems)


if __name__ == "__main__":
    sys.exit(main())
