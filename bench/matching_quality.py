"""Quality benchmark of the matching engine on a labelled TSV set.

    python bench/matching_quality.py --priorities P.tsv --items I.tsv \
        [--feedback K] [--seed N | --seeds 0,1,2,3,4] [--title-only] \
        [--engine default|embeddings]

Prints one JSON line: n, top1, top3, mrr (+ seconds).  With ``--seeds`` the
figures are means over the seeds (``per_seed`` lists each run's top-1).
``--engine embeddings`` needs ``requirements-matching-embeddings.txt``; the
model is loaded once and each distinct text is encoded once per process.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from projects.matching import (  # noqa: E402
    Engine,
    EngineConfig,
    Feedback,
    PriorityInput,
    ProposalInput,
)
from projects.matching.embeddings import Encoder  # noqa: E402

csv.field_size_limit(sys.maxsize)


def read_tsv(path: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def load(
    priorities_path: str, items_path: str, *, title_only: bool = False
) -> tuple[list[PriorityInput], list[ProposalInput], list[str]]:
    fields, prio_rows = read_tsv(priorities_path)
    key = fields[0]
    priorities = [
        PriorityInput(
            id=row[key],
            title=row.get("title", "") or "",
            description="" if title_only else (row.get("description", "") or ""),
        )
        for row in prio_rows
    ]
    _f, item_rows = read_tsv(items_path)
    items = [
        # Row numbers as ids: the same text may be labelled for two priorities.
        ProposalInput(id=f"item-{i}", title="", body=row["text"])
        for i, row in enumerate(item_rows)
    ]
    truth = [row[key] for row in item_rows]
    return priorities, items, truth


def evaluate(
    priorities: list[PriorityInput],
    items: list[ProposalInput],
    truth: list[str],
    *,
    feedback_k: int = 0,
    seed: int = 0,
    config: EngineConfig | None = None,
    encoder: Encoder | None = None,
) -> dict[str, float]:
    rng = random.Random(seed)
    by_priority: dict[str, list[int]] = {}
    for i, label in enumerate(truth):
        by_priority.setdefault(label, []).append(i)
    feedback: list[Feedback] = []
    held: set[int] = set()
    if feedback_k:
        for pid in sorted(by_priority):
            chosen = rng.sample(
                by_priority[pid], min(feedback_k, len(by_priority[pid]))
            )
            for i in sorted(chosen):
                feedback.append(Feedback(pid, items[i].id, True))
                held.add(i)
    start = time.perf_counter()
    engine = Engine(
        priorities, feedback=feedback, corpus=items, config=config, encoder=encoder
    )
    matrix = engine.score_matrix()
    seconds = time.perf_counter() - start
    # Confirmed items are known answers, so only the rest is scored.
    eval_rows = [i for i in range(len(items)) if i not in held]
    col = {pid: j for j, pid in enumerate(matrix.priority_ids)}
    scores = matrix.scores[eval_rows]
    true_cols = np.asarray([col[truth[i]] for i in eval_rows])
    # Rank of the true priority in the engine's own (stable) order.
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.argmax(order == true_cols[:, None], axis=1) + 1
    return {
        "n": len(eval_rows),
        "top1": round(float(np.mean(ranks == 1)), 4),
        "top3": round(float(np.mean(ranks <= 3)), 4),
        "mrr": round(float(np.mean(1.0 / ranks)), 4),
        "seconds": round(seconds, 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--priorities", required=True)
    parser.add_argument("--items", required=True)
    parser.add_argument("--feedback", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--seeds", default="", help="comma-separated seeds; prints the means"
    )
    parser.add_argument(
        "--engine", choices=("default", "embeddings"), default="default"
    )
    parser.add_argument(
        "--title-only", action="store_true", help="drop priority descriptions"
    )
    args = parser.parse_args(argv)
    priorities, items, truth = load(
        args.priorities, args.items, title_only=args.title_only
    )
    config = EngineConfig(embeddings=args.engine == "embeddings")
    encoder: Encoder | None = None
    if args.engine == "embeddings":
        from projects.matching.embeddings import CachedEncoder, load_default_encoder

        # Seeds share the same texts: encode each once.
        encoder = CachedEncoder(load_default_encoder())
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()] or [args.seed]
    runs = [
        evaluate(
            priorities,
            items,
            truth,
            feedback_k=args.feedback,
            seed=seed,
            config=config,
            encoder=encoder,
        )
        for seed in seeds
    ]
    if len(runs) == 1:
        print(json.dumps(runs[0]))
        return
    summary: dict[str, object] = {
        key: round(float(np.mean([r[key] for r in runs])), 4) for key in runs[0]
    }
    summary["per_seed"] = [r["top1"] for r in runs]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
