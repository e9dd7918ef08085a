"""Weights in whole points and the one re-weighting rule every weighted score uses (the monthly staff score,
the three-party evaluation): points are non-negative ints adding up to exactly 100 (no float sum to round
past the check); a part without data is dropped and its points shared in proportion to the rest."""
from fractions import Fraction


class WeightError(ValueError):
    """Weights that are not whole points adding up to exactly 100."""


def validate_points(weights: dict, keys) -> dict[str, int]:
    """`weights` as {key: whole points} in the order of `keys`, or WeightError: exactly those keys, each an
    int ≥ 0, exactly 100 in total."""
    keys = tuple(keys)
    if set(weights) != set(keys):
        raise WeightError(f"weights must name exactly {keys}")
    for key, value in weights.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise WeightError(f"weight {key} must be a whole number of points ≥ 0, not {value!r}")
    if sum(weights.values()) != 100:
        raise WeightError(f"weights total {sum(weights.values())}, not 100")
    return {key: weights[key] for key in keys}


def share_points(parts) -> tuple[dict, Fraction | None]:
    """`parts`: (key, value 0…100 or None when the part has no data, weight). A part without data is dropped and
    its points shared in proportion to the remaining weights: each applying part's effective weight is
    weight × 100 ÷ Σ applying weights. Returns ({key: effective weight} for the applying parts, the exact
    weighted score) — the score is None when nothing applies or the applying parts weigh 0 in all."""
    parts = list(parts)
    total = sum(weight for _key, value, weight in parts if value is not None)
    if not total:
        return {}, None
    effective = {key: Fraction(100 * weight, total) for key, value, weight in parts if value is not None}
    return effective, sum((Fraction(value) * weight for _key, value, weight in parts if value is not None), Fraction(0)) / total
