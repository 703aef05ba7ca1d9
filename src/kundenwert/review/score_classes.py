"""Score classes (issue 14.3): the value score in three classes, high, medium and low.

Seed 001: revenue alone (ABC) is not enough to judge a customer. The classes cut the value
score at two points: quantiles (interpolated) of the scores of the customers that have one
(default: the top 10 % high, the next 20 % medium), or fixed scores. A score equal to a cut
counts as the higher class. A customer without a value score (too little known) has no score
class; ``review.service.unscored`` decides its service level.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from kundenwert.review.config import ScoreClassSettings


def score_class_cuts(backend, t: ir.Table, cfg: ScoreClassSettings) -> dict[str, float | None]:
    """The scores at which high and medium begin (None: nobody has a score)."""
    if cfg.kind == "score":
        return {"high": cfg.high, "medium": cfg.medium}
    score = t.value_score
    expr = t.aggregate(high=score.quantile(cfg.high), medium=score.quantile(cfg.medium))
    row = backend.to_pyarrow(expr).to_pylist()[0]
    return {k: None if v is None else float(v) for k, v in row.items()}


def with_score_class(t: ir.Table, cuts: dict[str, float | None]) -> ir.Table:
    high, medium = cuts["high"], cuts["medium"]
    if high is None or medium is None:
        return t.mutate(score_class=ibis.null("string"))
    score = t.value_score
    # The float cut of a quantile may sit a rounding error above the score it came from.
    eps = 1e-9
    return t.mutate(
        score_class=ibis.cases(
            (score.isnull(), ibis.null("string")),
            (score >= high - eps, "high"),
            (score >= medium - eps, "medium"),
            else_="low",
        )
    )
