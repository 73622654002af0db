"""`transport-etl eval matching`: pairwise precision and recall of stop matching against a truth
file (CSV source_id, local_id, place_key; two source stops are the same place iff same place_key)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations
from pathlib import Path

from transport_etl.db.connection import connect

Key = tuple[str, str]


def read_truth(truth_csv: Path) -> dict[Key, str]:
    with open(truth_csv, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = {"source_id", "local_id", "place_key"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{truth_csv}: missing columns {', '.join(sorted(missing))}")
        return {(r["source_id"], r["local_id"]): r["place_key"] for r in reader if r["place_key"]}


def _pairs(groups: Iterable[list[Key]]) -> set[tuple[Key, Key]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(sorted(g), 2)}


def score_pairs(truth: dict[Key, str], predicted: dict[Key, str], review: set[tuple[Key, Key]] | None = None) -> dict:
    """Pairwise scores over the stops present in both ``truth`` and ``predicted`` (key → cluster id)."""
    common = set(truth) & set(predicted)
    by_place: dict[str, list[Key]] = defaultdict(list)
    by_cluster: dict[str, list[Key]] = defaultdict(list)
    for k in common:
        by_place[truth[k]].append(k)
        by_cluster[predicted[k]].append(k)
    true_pairs, pred_pairs = _pairs(by_place.values()), _pairs(by_cluster.values())
    hit = true_pairs & pred_pairs
    missed = true_pairs - pred_pairs
    in_review = {p for p in missed if p in (review or set())}
    precision = len(hit) / len(pred_pairs) if pred_pairs else 1.0
    recall = len(hit) / len(true_pairs) if true_pairs else 1.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "true_pairs": len(true_pairs),
        "predicted_pairs": len(pred_pairs),
        "correct_pairs": len(hit),
        "missed_pairs": len(missed),
        "missed_in_review": len(in_review),
        "recall_with_review": round((len(hit) + len(in_review)) / len(true_pairs), 4) if true_pairs else 1.0,
        "wrong_pairs": sorted(f"{a[0]}:{a[1]} = {b[0]}:{b[1]}" for a, b in pred_pairs - true_pairs)[:50],
        "missed": sorted(f"{a[0]}:{a[1]} ≠ {b[0]}:{b[1]}" for a, b in missed - in_review)[:50],
        "stops_evaluated": len(common),
        "truth_stops_missing": len(set(truth) - set(predicted)),
    }


# Truth rows may name a source's stop points (platforms under a GTFS parent station, označník poles):
# they belong to the canonical stop of their stop place. Current stop points not themselves members.
_STOP_POINTS = """
SELECT pt.source_id, pt.local_id, c.local_id
FROM unified.stop_point pt
JOIN unified.canonical_stop_member m ON m.stop_place_id = pt.stop_place_id AND m.recorded_to IS NULL
JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id
WHERE pt.recorded_to IS NULL
"""
# Truth rows of layers stop matching does not cover (bike-sharing stations): reported, not scored.
_OTHER_LAYERS = ("bike_station",)


def evaluate_matching(database_url: str | None, truth_csv: Path, log: Callable[[str], None] = print) -> dict:
    """Precision and recall of the current canonical stop membership against ``truth_csv``; prints them."""
    truth = read_truth(Path(truth_csv))
    with connect(database_url) as conn:
        predicted = {(r[0], r[1]): r[2] for r in conn.execute(
            "SELECT m.source_id, m.member_local_id, c.local_id FROM unified.canonical_stop_member m "
            "JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id WHERE m.recorded_to IS NULL"
        ).fetchall()}
        for src, local, cid in conn.execute(_STOP_POINTS).fetchall():
            if (src, local) in truth:
                predicted.setdefault((src, local), cid)
        review = {tuple(sorted(((r[0], r[1]), (r[2], r[3])))) for r in conn.execute(
            "SELECT a_source_id, a_local_id, b_source_id, b_local_id FROM unified.stop_match_review "
            "WHERE status = 'open'"
        ).fetchall()}
        other: set[Key] = set()
        for table in _OTHER_LAYERS:
            if conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"unified.{table}",)).fetchone()[0]:
                other |= {(r[0], r[1]) for r in conn.execute(
                    f"SELECT DISTINCT source_id, local_id FROM unified.{table} WHERE recorded_to IS NULL")}
    result = score_pairs(truth, predicted, review)
    outside = (set(truth) - set(predicted)) & other
    result["truth_other_layers"] = len(outside)
    result["truth_stops_missing"] -= len(outside)
    result["review_open"] = len(review)
    _log_scores(log, "stop matching", result,
                f"{result['missed_in_review']} missed pairs wait in the review queue → recall with review "
                f"{result['recall_with_review']:.3f}; {result['stops_evaluated']} stops evaluated, "
                f"{result['truth_stops_missing']} truth stops not loaded, {result['truth_other_layers']} in layers "
                f"stop matching does not cover; {result['review_open']} open review pairs")
    return result


def _log_scores(log: Callable[[str], None], what: str, result: dict, counts: str) -> None:
    """The scores of ``what`` in one line (``counts``: what else was counted), then the first wrong and
    missed pairs."""
    log(f"{what}: precision {result['precision']:.3f}, recall {result['recall']:.3f} "
        f"({result['correct_pairs']} of {result['true_pairs']} true pairs found, {result['predicted_pairs']} "
        f"predicted; {counts})")
    for w in result["wrong_pairs"][:10]:
        log(f"  wrong: {w}")
    for m in result["missed"][:10]:
        log(f"  missed: {m}")


# Identity beyond stops: a member is (source_id, "<feed label>:<code or section id>") — one per feed
# version — and the truth file names the place or link each belongs to (column place_key).
_IDENTITY_TABLES = {"rail-points": "canonical_rail_point", "road-links": "canonical_road_link"}


def _identity_members(kind: str) -> str:
    t = _IDENTITY_TABLES[kind]
    return f"""SELECT m.source_id, coalesce(fv.feed_label, fv.id::text) || ':' || m.member_local_id, c.local_id
        FROM unified.{t}_member m
        JOIN unified.{t} c ON c.id = m.{t}_id
        JOIN lineage.feed_version fv ON fv.id = m.feed_version_id"""


def evaluate_identity(database_url: str | None, kind: str, truth_csv: Path, log: Callable[[str], None] = print) -> dict:
    """Pairwise precision and recall of rail-point or road-link identity (``kind``: rail-points |
    road-links) across feed versions against ``truth_csv``; prints them."""
    truth = read_truth(Path(truth_csv))
    with connect(database_url) as conn:
        predicted = {(r[0], r[1]): r[2] for r in conn.execute(_identity_members(kind)).fetchall()}
    result = score_pairs(truth, predicted)
    _log_scores(log, f"{kind} identity", result,
                f"{result['stops_evaluated']} members evaluated, {result['truth_stops_missing']} truth members "
                "not recorded")
    return result
