"""Speed and memory of the indicator CSV import, and of shift detection.

    python bench/indicators_import.py [--districts 8] [--codes 1000] [--months 125]

Generates a CSV of districts × indicator codes × months rows (by default 8 × 1,000 ×
125 = 1,000,000 rows, ~40 MB: the ten built-in kinds plus 990 custom meter series in
each of eight districts, monthly from January 2014, ordered by district, code and
period as a city's data warehouse exports them), creates a throwaway PostgreSQL
database (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432``),
and imports the file through ``manage.py import_indicators`` — the service the upload
page's task runs — in a child process, measuring its wall time and peak RSS
(``ru_maxrss`` of the child: the importing process's own peak). Then it imports the
same file again (time; it must change nothing) and times the shift detector over
10,000 series × 36 periods. The database is dropped at the end, whatever happened.

Prints each figure, then one JSON line with ``rows``, ``import_seconds``,
``import_peak_mb``, ``reimport_seconds``, ``detect_series``, ``detect_seconds`` and
the goals (1M rows ≤ 60 s and ≤ 300 MB; detection ≤ 10 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB = "crosswalk_bench_indicators"
PG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
BUILT_IN = [
    ("commute_minutes", "min", 32.0),
    ("energy_mwh", "MWh", 1800.0),
    ("water_m3", "m3", 90000.0),
    ("mode_share_car", "%", 41.0),
    ("mode_share_public_transport", "%", 27.0),
    ("mode_share_bike", "%", 9.0),
    ("mode_share_walk", "%", 23.0),
    ("pm25", "ug/m3", 11.0),
    ("no2", "ug/m3", 24.0),
    ("co2_emissions", "t", 5200.0),
]


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


def write_csv(path: Path, districts: int, codes: int, months: int) -> int:
    rng = random.Random(8)
    series = list(BUILT_IN)
    series += [
        (f"meter_{n:04d}", "kWh", 500.0 + n) for n in range(codes - len(BUILT_IN))
    ]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("district,indicator,unit,period,value\n")
        for d in range(districts):
            for code, unit, base in series:
                level = base * (0.8 + 0.4 * rng.random())
                lines = []
                for m in range(months):
                    year, month = 2014 + m // 12, m % 12 + 1
                    value = level * (1 + 0.03 * rng.gauss(0, 1))
                    lines.append(f"d{d},{code},{unit},{year}-{month:02d},{value:.2f}\n")
                out.writelines(lines)
                rows += months
    return rows


def child(path: str) -> None:
    """Run one import here and print its seconds, peak RSS and counts."""
    import django

    django.setup()
    from projects.services import indicators
    from stakeholders.models import City

    city = City.objects.get(slug="benchville")
    start = time.perf_counter()
    # Shift detection after the import is timed on its own below.
    imp = indicators.indicator_import_file(city=city, path=path, detect=False)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = usage.ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mb": round(peak_kb / 1024, 1),
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
                "state": imp.state,
                "created": imp.created_count,
                "updated": imp.updated_count,
                "unchanged": imp.unchanged_count,
                "errors": imp.errors[:3],
            }
        )
    )


def run_child(path: Path, env: dict[str, str]) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def detection(series: int, periods: int) -> float | None:
    """Seconds for ``projects.demand.detect.detect_many`` (the batch form of
    ``detect_shifts``) over ``series`` monthly series of ``periods`` values, one in
    ten with a 15 % shift over its last eight periods; None if it is missing."""
    try:
        from projects.demand.detect import detect_many
    except ImportError:
        return None
    from datetime import date

    rng = random.Random(8)
    months = [date(2022 + m // 12, m % 12 + 1, 1) for m in range(periods)]
    data = []
    for n in range(series):
        step = 1.15 if n % 10 == 0 else 1.0
        data.append(
            [
                (d, rng.gauss(100.0, 3.0) * (step if m >= periods - 8 else 1.0))
                for m, d in enumerate(months)
            ]
        )
    start = time.perf_counter()
    found = detect_many(data)
    seconds = time.perf_counter() - start
    print(f"  detector flagged {sum(1 for f in found if f):,} of {series:,} series")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--districts", type=int, default=8)
    parser.add_argument("--codes", type=int, default=1000)
    parser.add_argument("--months", type=int, default=125)
    parser.add_argument("--detect-series", type=int, default=10_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0

    figures: dict[str, object] = {}
    workdir = Path(tempfile.mkdtemp(prefix="cw-bench-indicators-"))
    path = workdir / "indicators.csv"
    start = time.perf_counter()
    rows = write_csv(path, args.districts, args.codes, args.months)
    figures["rows"] = rows
    print(
        f"generated {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - start:.1f} s"
    )

    _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB}")
    env = dict(
        os.environ,
        DATABASE_URL=f"{PG}/{DB}",
        LOG_LEVEL="WARNING",
        DEBUG="0",  # as in production: no query log
        DJANGO_SETTINGS_MODULE="config.settings",
        MEDIA_ROOT=str(workdir / "media"),
    )
    env.pop("REDIS_URL", None)  # detection after the import is not timed here
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        os.environ.update(env)
        import django

        django.setup()
        from stakeholders.models import City, District

        city = City.objects.create(
            name="Benchville", slug="benchville", country="FR", timezone="Europe/Paris"
        )
        District.objects.bulk_create(
            [
                District(city=city, name=f"District {d}", slug=f"d{d}")
                for d in range(args.districts)
            ]
        )
        from django.db import connections

        connections.close_all()

        first = run_child(path, env)
        assert first["state"] == "done", first
        assert first["created"] == rows, first
        figures["import_seconds"] = first["seconds"]
        figures["import_peak_mb"] = first["peak_mb"]
        print(
            f"import: {first['seconds']:.1f} s ({first['cpu_seconds']:.0f} s of CPU), "
            f"peak RSS {first['peak_mb']:.0f} MB ({first['created']:,} observations "
            "created)"
        )
        again = run_child(path, env)
        assert again["state"] == "done", again
        assert again["unchanged"] == rows and not again["created"], again
        assert not again["updated"], again
        figures["reimport_seconds"] = again["seconds"]
        figures["reimport_peak_mb"] = again["peak_mb"]
        print(
            f"re-import of the same file: {again['seconds']:.1f} s "
            f"({again['cpu_seconds']:.0f} s of CPU), "
            f"peak RSS {again['peak_mb']:.0f} MB, nothing changed"
        )
    finally:
        from django.db import connections

        connections.close_all()
        _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        for item in sorted(workdir.rglob("*"), reverse=True):
            item.unlink() if item.is_file() else item.rmdir()
        workdir.rmdir()

    seconds = detection(args.detect_series, 36)
    if seconds is None:
        print("shift detection: projects.demand.detect.detect_shifts not available")
    else:
        figures["detect_series"] = args.detect_series
        figures["detect_seconds"] = round(seconds, 2)
        print(f"shift detection: {args.detect_series:,} series × 36 in {seconds:.2f} s")
    figures.update(
        goal_import_seconds=60, goal_import_peak_mb=300, goal_detect_seconds=10
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
