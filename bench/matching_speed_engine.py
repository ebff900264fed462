"""Engine-only speed benchmark: 100k proposals x 50 priorities.

    python bench/matching_speed_engine.py [--proposals N] [--priorities P]

Prints one JSON line per figure: bulk re-score (including vectorising),
one new proposal against a fitted engine, explaining the top matches, and
peak RSS of the process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._generate import make_priorities, make_proposals  # noqa: E402
from projects.matching import Engine  # noqa: E402


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_engine_speed(
    n_proposals: int = 100_000, n_priorities: int = 50, seed: int = 0
) -> dict[str, float]:
    """Time bulk scoring, single scoring and explanations; return the figures."""
    priorities = make_priorities(n_priorities, seed=seed)
    proposals = make_proposals(n_proposals + 1, seed=seed)
    newcomer, corpus = proposals[-1], proposals[:-1]

    start = time.perf_counter()
    engine = Engine(priorities, corpus=corpus)
    matrix = engine.score_matrix()
    top = matrix.top_k(3)
    bulk = time.perf_counter() - start

    start = time.perf_counter()
    single = engine.score_matrix([newcomer])
    single_s = time.perf_counter() - start

    start = time.perf_counter()
    results = engine.score([newcomer])
    single_explained_s = time.perf_counter() - start

    start = time.perf_counter()
    explained = [
        engine.explain(corpus[i], top[i][0][0]) for i in range(min(1000, len(corpus)))
    ]
    explain_s = time.perf_counter() - start

    assert single.scores.shape == (1, n_priorities)
    assert len(results) == n_priorities and explained
    return {
        "proposals": n_proposals,
        "priorities": n_priorities,
        "bulk_seconds": round(bulk, 3),
        "single_ms": round(single_s * 1000, 2),
        "single_with_reasons_ms": round(single_explained_s * 1000, 2),
        "explain_ms_per_pair": round(explain_s * 1000 / len(explained), 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--priorities", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    figures = run_engine_speed(args.proposals, args.priorities, args.seed)
    for key in ("bulk_seconds", "single_ms", "single_with_reasons_ms"):
        print(json.dumps({key: figures[key]}))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
