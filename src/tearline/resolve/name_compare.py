"""The comparison of two parsed person names (``names.name_similarity``, documented there).

Given names are aligned in order, word by word; surnames are compared paternal with
paternal and maternal with maternal (and crossed, for names written in the other
order). The score is the product of the given-name and surname scores, so a conflict
on either side (brothers: same surnames, other given name) keeps it near zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .names import NameEvidence, PersonName

#: a nickname shared by both sides adds this much (weak evidence only)
NICKNAME_BONUS = 0.03


def _align(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[list[float], list[str], int, int]:
    """The best order-keeping alignment of two given-name sequences.

    Returns the scores of the matched words, their reasons, and how many words of
    ``a`` and of ``b`` stayed unmatched.
    """
    from .names import word_match

    n, m = len(a), len(b)
    best: list[list[tuple[float, list[float], list[str]]]] = [
        [(0.0, [], []) for _ in range(m + 1)] for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            score, why = word_match(a[i], b[j], given=True)
            if score > 0:
                total, scores, reasons = best[i + 1][j + 1]
                options.append((total + score, [score, *scores], [*why, *reasons]))
            best[i][j] = max(options, key=lambda o: (o[0], len(o[1])))
    _, scores, reasons = best[0][0]
    return scores, reasons, n - len(scores), m - len(scores)


def _given(a: PersonName, b: PersonName) -> tuple[float, list[str]]:
    if not a.given or not b.given:
        return (0.6, ["given name missing on one side"]) if a.given or b.given else (0.5, [])
    scores, reasons, left_a, left_b = _align(a.given, b.given)
    if not scores:
        return 0.0, ["given names differ"]
    mean = sum(scores) / len(scores)
    written = set(a.abbreviated) ^ set(b.abbreviated)
    if written & set(a.given) & set(b.given):
        reasons = [*reasons, f"given name abbreviated: {sorted(written)[0]}"]
    if left_a and left_b:
        return 0.08 * mean, [*reasons, "given names differ in part"]
    if left_a or left_b:
        return 0.88 * mean, [*reasons, "compound given name shortened"]
    return mean, reasons


def _surnames(a: PersonName, b: PersonName) -> tuple[float, list[str]]:
    from .names import word_match

    if not a.paternal or not b.paternal:
        return (0.3, ["surname missing"]) if a.paternal or b.paternal else (0.3, ["no surnames"])
    paternal, why = word_match(a.paternal, b.paternal, given=False)
    reasons = [f"paternal surname: {r}" for r in why]
    if paternal == 0:
        if a.maternal and b.maternal:
            cross = min(word_match(a.paternal, b.maternal, given=False)[0],
                        word_match(a.maternal, b.paternal, given=False)[0])
            if cross > 0:
                return 0.75 * cross, ["surnames in the other order"]
        return 0.0, ["paternal surnames differ"]
    if a.maternal and b.maternal:
        maternal, why = word_match(a.maternal, b.maternal, given=False)
        if maternal == 0:
            return 0.1 * paternal, [*reasons, "maternal surnames differ"]
        return paternal * maternal, [*reasons, *(f"maternal surname: {r}" for r in why)]
    if a.maternal or b.maternal:
        return 0.9 * paternal, [*reasons, "maternal surname dropped"]
    return paternal, reasons


def _once(a: PersonName, b: PersonName) -> NameEvidence:
    from .names import NameEvidence

    given, given_why = _given(a, b)
    surnames, surname_why = _surnames(a, b)
    return NameEvidence(given * surnames, tuple(given_why + surname_why), given, surnames)


def name_similarity(a: PersonName, b: PersonName) -> NameEvidence:
    """How alike two person names are, with reasons (see ``tearline.resolve.names``)."""
    from .names import NameEvidence, readings

    if not a.words or not b.words:
        return NameEvidence(0.0, ("empty name",))
    best = _once(a, b)
    if best.score < 0.9:
        for ra, cost_a in readings(a):
            for rb, cost_b in readings(b):
                if cost_a != 1.0 and cost_b != 1.0 or cost_a * cost_b == 1.0:
                    continue  # one side read another way at a time
                found = _once(ra, rb)
                score = found.score * cost_a * cost_b
                if score > best.score:
                    best = NameEvidence(score, (*found.reasons, "names read another way"),
                                        found.given, found.surnames)
    shared = set(a.nicknames) & set(b.nicknames)
    if shared and best.score > 0:
        best = NameEvidence(min(1.0, best.score + NICKNAME_BONUS),
                            (*best.reasons, f"nickname shared: {sorted(shared)[0]}"),
                            best.given, best.surnames)
    return NameEvidence(round(best.score, 4), tuple(dict.fromkeys(best.reasons)),
                        round(best.given, 4), round(best.surnames, 4))
