"""Run every benchmark in bench/ and write one table of results to bench/RESULTS.md.

Each benchmark prints a JSON line; this script runs them one after the other (the
machine is small: they must not compete), picks the figures that have a goal, and
writes figure / goal / measured / ratio-to-baseline. Nothing here is hard-coded
but the goals themselves.

    python bench/run_all.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "osdg"


@dataclass
class Row:
    figure: str
    goal: str
    measured: str
    ratio: str = ""
    ok: bool | None = None


@dataclass
class Bench:
    name: str
    command: list[str]
    rows: Callable[[dict], list[Row]]
    timeout: int = 1200


def _fmt(value: float, unit: str = "") -> str:
    return f"{value:.3f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def _quality(out: dict, label: str) -> list[Row]:
    return [
        Row(
            f"matching top-1 ({label})",
            out["goal_top1"],
            _fmt(out["top1"]),
            ok=out["top1"] >= float(out["goal_top1"].lstrip("≥ ")),
        ),
        Row(f"matching top-3 ({label})", "", _fmt(out["top3"])),
        Row(f"matching MRR ({label})", "", _fmt(out["mrr"])),
    ]


def benches() -> list[Bench]:
    py = sys.executable
    quality = [
        py,
        "bench/matching_quality.py",
        "--priorities",
        str(DATA / "sdg_priorities.tsv"),
        "--items",
        str(DATA / "dev.tsv"),
    ]
    return [
        Bench(
            "matching_quality",
            quality,
            lambda o: _quality({**o, "goal_top1": "≥ 0.70"}, "no feedback"),
        ),
        Bench(
            "matching_quality_feedback",
            [*quality, "--feedback", "10", "--seed", "0"],
            lambda o: _quality({**o, "goal_top1": "≥ 0.82"}, "K=10 confirmations"),
        ),
        Bench(
            "matching_speed_engine",
            [py, "bench/matching_speed_engine.py"],
            lambda o: [
                Row(
                    "engine re-scores 100k proposals × 50 priorities",
                    "≤ 10 s",
                    _fmt(o["bulk_seconds"], " s"),
                    ok=o["bulk_seconds"] <= 10,
                ),
                Row(
                    "one new proposal scored (engine)",
                    "≤ 100 ms",
                    _fmt(o["single_with_reasons_ms"], " ms"),
                    ok=o["single_with_reasons_ms"] <= 100,
                ),
                Row(
                    "engine peak memory",
                    "≤ 1024 MB",
                    _fmt(o["peak_rss_mb"], " MB"),
                    ok=o["peak_rss_mb"] <= 1024,
                ),
            ],
        ),
        Bench(
            "matching_speed",
            [py, "bench/matching_speed.py"],
            lambda o: [
                Row(
                    "city re-score through Celery, 2 workers, matches written",
                    "≤ 60 s",
                    _fmt(o["city_rescore_seconds"], " s"),
                    ok=o["city_rescore_seconds"] <= 60,
                ),
                Row(
                    "one new proposal scored and stored",
                    "≤ 100 ms",
                    _fmt(o["one_new_proposal_ms"], " ms"),
                    ok=o["one_new_proposal_ms"] <= 100,
                ),
                Row(
                    "worker peak memory",
                    "≤ 1024 MB",
                    _fmt(o["worker_peak_mb"], " MB"),
                    ok=o["worker_peak_mb"] <= 1024,
                ),
            ],
            timeout=1800,
        ),
        Bench(
            "http_proposals",
            [py, "bench/http_proposals.py"],
            lambda o: [
                Row(
                    "bare Django JSON view",
                    "baseline",
                    f"{o['bare_rps']} req/s",
                    "1.00",
                ),
                Row(
                    "proposal list API",
                    "≥ 35 % of bare",
                    f"{o['list_api_rps']} req/s",
                    _fmt(o["list_api_ratio"]),
                    ok=o["list_api_ratio"] >= 0.35,
                ),
                Row(
                    "proposal list page",
                    "",
                    f"{o['list_page_rps']} req/s",
                    _fmt(o["list_page_ratio"]),
                ),
                Row(
                    "proposal detail page",
                    "≥ 50 % of bare",
                    f"{o['detail_page_rps']} req/s",
                    _fmt(o["detail_page_ratio"]),
                    ok=o["detail_page_ratio"] >= 0.5,
                ),
            ],
        ),
    ] + [b for b in (load_bench(py), indicators_bench(py)) if b is not None]


def _goal_row(out: dict, key: str, figure: str, unit: str) -> Row:
    """A "≤" figure whose goal the benchmark states itself (``goal_<key>``)."""
    goal = out.get(f"goal_{key}")
    return Row(
        figure,
        f"≤ {goal}{unit}" if goal is not None else "",
        _fmt(out[key], unit),
        ok=None if goal is None else out[key] <= goal,
    )


def load_bench(py: str) -> Bench:
    return Bench(
        "load",
        [py, "bench/load.py"],
        lambda o: [
            Row(
                f"mixed load, {o['users']} users for {o['run_seconds']:.0f} s "
                "(gunicorn, PostgreSQL, Redis, 2 workers)",
                "",
                f"{o['rps']} req/s",
            ),
            Row("load p50 latency", "", f"{o['p50']:.0f} ms"),
            Row(
                "load p95 latency",
                "≤ 300 ms",
                f"{o['p95']:.0f} ms",
                ok=o["p95"] <= 300,
            ),
            Row("load p99 latency", "", f"{o['p99']:.0f} ms"),
            Row(
                "load errors (non-2xx/3xx)",
                "0",
                f"{o['errors']} of {o['requests']}",
                ok=o["errors"] == 0,
            ),
            Row(
                "writes acknowledged but missing afterwards",
                "0",
                f"{o['lost_writes']} of {o['writes']}",
                ok=o["lost_writes"] == 0,
            ),
        ],
        timeout=1500,
    )


def indicators_bench(py: str) -> Bench | None:
    if not (ROOT / "bench" / "indicators_import.py").is_file():
        return None
    return Bench(
        "indicators_import",
        [py, "bench/indicators_import.py"],
        lambda o: [
            _goal_row(
                o,
                "import_seconds",
                f"indicator import, {o.get('rows', '?')} rows",
                " s",
            ),
            _goal_row(o, "import_peak_mb", "indicator import peak memory", " MB"),
            _goal_row(o, "detect_seconds", "shift detection", " s"),
        ],
    )


def _failed(bench: Bench, why: str) -> list[Row]:
    why = why.replace(f"{ROOT}/", "").replace(sys.executable, "python")
    why = " ".join(why.split()).replace("|", "/")[:160]
    return [Row(bench.name, "", f"failed: {why}", ok=False)]


def run(bench: Bench) -> tuple[list[Row], float]:
    """Run one benchmark; whatever goes wrong (exit status, time-out, no JSON,
    a figure missing) becomes a "failed" row, so the others still run."""
    start = time.monotonic()
    try:
        proc = subprocess.run(
            bench.command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=bench.timeout,
            env=os.environ.copy(),
        )
    except subprocess.TimeoutExpired:
        return _failed(bench, f"no result after {bench.timeout} s"), bench.timeout
    except OSError as exc:
        return _failed(bench, repr(exc)), time.monotonic() - start
    elapsed = time.monotonic() - start
    # Progress goes to stderr; keep it for whoever reads the run's log.
    if proc.stderr:
        sys.stderr.write(proc.stderr[-4000:])
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return _failed(bench, f"exit {proc.returncode}: {tail[0]}"), elapsed
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.startswith("{")]
    if not lines:
        return _failed(bench, "printed no JSON line"), elapsed
    try:
        return bench.rows(json.loads(lines[-1])), elapsed
    except (ValueError, KeyError, TypeError) as exc:
        return _failed(bench, f"unreadable result: {exc!r}"), elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    selected = [b for b in benches() if not args.only or b.name in args.only]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. Speeds compared "
        "with a bare Django view are ratios measured in the same run.",
        "",
        "| figure | goal | measured | ratio to bare Django | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for bench in selected:
        rows, elapsed = run(bench)
        print(f"{bench.name}: {elapsed:.0f} s", flush=True)
        for row in rows:
            met = "" if row.ok is None else ("yes" if row.ok else "no")
            lines.append(
                f"| {row.figure} | {row.goal} | {row.measured} | {row.ratio} | {met} |"
            )
            print(
                f"  {row.figure}: {row.measured} (goal {row.goal or '-'}) {met}",
                flush=True,
            )
    (ROOT / "bench" / "RESULTS.md").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    print("wrote bench/RESULTS.md")


if __name__ == "__main__":
    main()
