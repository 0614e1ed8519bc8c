"""A list shares its predicate: where one enumerated organization is, or what it belongs to, holds for all.

The guidelines' rule (``引育微亿智造、网擎、立卓等一批数字经济企业`` — every listed
company is LOCATED_IN the park the sentence names). A pairwise classifier sees
each member at its own distance from the shared partner, so members of one
list got different answers; here the list decides together, with the score of
its best-scored member. Only ORG→ORG relations are shared (see ``SHARED_GROUP``).
"""

from __future__ import annotations

from typing import Callable

from ..labels import ORG
from .candidates import Candidate, Entity

#: the pairs whose relations a list shares: where an org is or what it belongs to
#: (LOCATED_IN, PART_OF). Not amounts or years: a list's shared total gets no relation at
#: all (A、B等6家企业累计获得2860万元), and sharing them lost more than it found on the
#: held-out synthetic sets
SHARED_GROUP = (ORG, ORG)
#: what may stand between two items of one enumeration
ITEM_SEPARATORS = ("、",)
#: what may join the last item once the list has a 、 (A、B和C)
LAST_ITEM_JOINS = ("和", "及", "与", "以及")


def enumerations(text: str, entities: list[Entity]) -> list[list[int]]:
    """Indices of ORG entities that form one ``A、B(、C)(和D)`` enumeration, per list."""
    lists: list[list[int]] = []
    current: list[int] = []
    for index, entity in enumerate(entities):
        if entity.label == ORG and current:
            gap = text[entities[current[-1]].end:entity.start]
            if gap in ITEM_SEPARATORS or (gap in LAST_ITEM_JOINS and len(current) >= 2):
                current.append(index)
                continue
        if len(current) >= 2:
            lists.append(current)
        current = [index] if entity.label == ORG else []
    if len(current) >= 2:
        lists.append(current)
    return lists


def share_list_predicates(text: str, entities: list[Entity], pairs: list[Candidate],
                          predictions: list[tuple[str, float]],
                          threshold_for: Callable[[str], float]) -> list[tuple[str, float]]:
    """``predictions`` with each list member given its list's best relation to a partner outside it.

    For a partner ``P`` and a list ``L``, the member whose pair with ``P`` scores
    highest decides: if that score reaches its type's threshold, every member of ``L``
    gets its type and score with ``P`` (as head or as tail, the side the list is
    on); if not, none reaches it either.
    """
    list_of = {member: tuple(items) for items in enumerations(text, entities) for member in items}
    if not list_of:
        return predictions
    keys = [_list_key(pair, list_of) if pair.group(entities) == SHARED_GROUP else None for pair in pairs]
    best: dict[tuple, tuple[str, float]] = {}
    for key, (label, score) in zip(keys, predictions):
        if key is not None and score > best.get(key, ("", -1.0))[1]:
            best[key] = (label, score)
    return [best[key] if key is not None and best[key][1] >= threshold_for(best[key][0]) else prediction
            for key, prediction in zip(keys, predictions)]


def _list_key(pair: Candidate, list_of: dict[int, tuple[int, ...]]) -> tuple | None:
    """(side, list, partner) when exactly one side of the pair is in a list."""
    head_list, tail_list = list_of.get(pair.head), list_of.get(pair.tail)
    if head_list and pair.tail not in head_list:
        return ("head", head_list, pair.tail)
    if tail_list and pair.head not in tail_list:
        return ("tail", tail_list, pair.head)
    return None
