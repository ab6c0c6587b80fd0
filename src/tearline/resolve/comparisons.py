"""The Splink comparisons of tearline's person model, and the SQL functions they call.

Each comparison is a list of levels, strongest first, with the probability of that
level among true matches (m) and among random pairs (u); a level's weight is
log2(m/u). The names and dates levels call tearline's own comparators, registered in
DuckDB as functions (:func:`register`), so Splink blocks, compares and sums weights
in SQL while the Spanish-name rules stay in Python. The m and u values are set, not
trained: they were tuned on the generated Spanish set (``bench/resolve.py``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa
from duckdb.func import PythonUDFType

from .dates import DateLevel, compare_dates
from .names import NameEvidence, name_similarity, parse_name

#: the prior: the chance that two records drawn at random are one person
PRIOR = 1e-4


@lru_cache(maxsize=200_000)
def _parsed(text: str) -> Any:
    return parse_name(text)


@lru_cache(maxsize=500_000)
def name_evidence(a: str, b: str) -> NameEvidence:
    """The name comparison of two names as written (cached: Splink asks per level)."""
    return name_similarity(_parsed(a), _parsed(b))


def _name_scores(left: pa.Array, right: pa.Array) -> pa.Array:
    """Scores of a batch of name pairs (DuckDB calls this once per vector, not per row)."""
    return pa.array([None if a is None or b is None else name_evidence(a, b).score
                     for a, b in zip(left.to_pylist(), right.to_pylist(), strict=True)],
                    type=pa.float64())


def _date_levels(left: pa.Array, right: pa.Array) -> pa.Array:
    out = []
    for a, b in zip(left.to_pylist(), right.to_pylist(), strict=True):
        level = compare_dates(a or "", b or "")
        out.append(-1 if level is None else int(level))
    return pa.array(out, type=pa.int32())


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make ``tl_name_score`` and ``tl_date_level`` callable from the connection's SQL."""
    con.create_function("tl_name_score", _name_scores, ["VARCHAR", "VARCHAR"], "DOUBLE",
                        type=PythonUDFType.ARROW, side_effects=False)
    con.create_function("tl_date_level", _date_levels, ["VARCHAR", "VARCHAR"], "INTEGER",
                        type=PythonUDFType.ARROW, side_effects=False)


def _level(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m,
            "u_probability": u}


def _null(column: str) -> dict[str, Any]:
    return {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
            "label_for_charts": f"{column} missing", "is_null_level": True}


def _comparison(column: str, *levels: dict[str, Any]) -> dict[str, Any]:
    return {"output_column_name": column, "comparison_levels": [_null(column), *levels]}


def _name() -> dict[str, Any]:
    score = "tl_name_score(name_l, name_r)"
    return _comparison(
        "name",
        _level(f"{score} >= 0.95", "names agree", 0.70, 0.0002),
        _level(f"{score} >= 0.85", "names agree but for a variant", 0.18, 0.0002),
        _level(f"{score} >= 0.70", "names agree but for several variants", 0.07, 0.0005),
        _level(f"{score} >= 0.40", "names partly agree", 0.03, 0.01),
        _level("ELSE", "names differ", 0.02, 0.9875))


def _birth_date() -> dict[str, Any]:
    level = "tl_date_level(birth_date_l, birth_date_r)"
    return _comparison(
        "birth_date",
        _level(f"{level} = {DateLevel.EXACT:d}", "dates of birth agree", 0.85, 0.0001),
        _level(f"{level} = {DateLevel.TYPO:d}", "dates of birth differ by a typo", 0.08, 0.0005),
        _level(f"{level} = {DateLevel.YEAR:d}", "years of birth agree", 0.04, 0.02),
        _level("ELSE", "dates of birth differ", 0.03, 0.9794))


def _decisive(column: str, label: str) -> dict[str, Any]:
    valid = f"{column}_valid_l AND {column}_valid_r" if column in ("curp", "rfc") else "TRUE"
    return _comparison(
        column,
        _level(f"{column}_l = {column}_r", f"{label} agrees", 0.90, 1e-8),
        _level(f"{valid} AND {column}_l <> {column}_r", f"{label} differs", 1e-6, 0.99),
        _level("ELSE", f"{label} differs, but one fails its check", 0.099999, 0.00999999))


def _exactish(column: str, label: str, m: tuple[float, float], u: tuple[float, float],
              fuzzy: str) -> dict[str, Any]:
    return _comparison(
        column,
        _level(f"{column}_l = {column}_r", f"{label} agrees", m[0], u[0]),
        _level(fuzzy, f"{label} nearly agrees", m[1], u[1]),
        _level("ELSE", f"{label} differs", 1 - m[0] - m[1], 1 - u[0] - u[1]))


def settings(link_type: str) -> dict[str, Any]:
    """The Splink settings of the model (``link_only`` or ``dedupe_only``)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": "l.key = r.key", "arrays_to_explode": ["key"]},
            "l.birth_date = r.birth_date",
            "l.curp = r.curp", "l.rfc = r.rfc", "l.passport = r.passport",
            "l.id_number = r.id_number",
            "l.postcode = r.postcode AND l.street = r.street",
        ],
        "comparisons": [
            _name(),
            _birth_date(),
            _decisive("curp", "CURP"),
            _decisive("rfc", "RFC"),
            _decisive("passport", "passport number"),
            _comparison("sex", _level("sex_l = sex_r", "sex agrees", 0.97, 0.5),
                        _level("ELSE", "sex differs", 0.03, 0.5)),
            _exactish("id_number", "identity number", (0.85, 0.1), (1e-5, 1e-4),
                      "damerau_levenshtein(id_number_l, id_number_r) <= 1"),
            _exactish("postcode", "postcode", (0.8, 0.1), (0.005, 0.02),
                      "damerau_levenshtein(postcode_l, postcode_r) <= 1"),
            _exactish("city", "city", (0.8, 0.1), (0.01, 0.01),
                      "jaro_winkler_similarity(city_l, city_r) >= 0.9"),
            _exactish("street", "street", (0.75, 0.15), (0.001, 0.002),
                      "jaro_winkler_similarity(street_l, street_r) >= 0.88"),
        ],
    }
