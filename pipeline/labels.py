"""The schema's labels, in one place (``../shared/annotation-schema.md``, v1.1).

Every module that needs a label name, a relation type or the allowed head/tail
labels of a relation imports it from here.
"""

from __future__ import annotations

SCHEMA_VERSION = "1.1"

ORG = "ORG"
MONEY = "MONEY"
YEAR = "YEAR"
ENTITY_LABELS: tuple[str, ...] = (ORG, MONEY, YEAR)

INVESTMENT = "INVESTMENT"
REVENUE = "REVENUE"
FUNDING = "FUNDING"
FOUNDED = "FOUNDED"
IN_YEAR = "IN_YEAR"
LOCATED_IN = "LOCATED_IN"
PART_OF = "PART_OF"

#: relation type -> (head label, tail label), as in the schema's relation table.
RELATION_SIGNATURES: dict[str, tuple[str, str]] = {
    INVESTMENT: (ORG, MONEY),
    REVENUE: (ORG, MONEY),
    FUNDING: (ORG, MONEY),
    FOUNDED: (ORG, YEAR),
    IN_YEAR: (MONEY, YEAR),
    LOCATED_IN: (ORG, ORG),
    PART_OF: (ORG, ORG),
}
RELATION_TYPES: tuple[str, ...] = tuple(RELATION_SIGNATURES)

#: The class a relation classifier predicts for a pair with no relation.
NO_RELATION = "NONE"


def in_label_order(mapping: dict, labels) -> dict:
    """``mapping`` with its keys in the order of ``labels`` (any other key after them, sorted),
    not in the order a set was walked: a report re-run with the same figures is then byte-identical."""
    order = {label: i for i, label in enumerate(labels)}
    return {key: mapping[key] for key in sorted(mapping, key=lambda key: (order.get(key, len(order)), key))}


#: Fixed label colours, shared by doccano projects and HTML reports.
LABEL_COLOURS: dict[str, str] = {
    ORG: "#7aecec",
    MONEY: "#e4e7d2",
    YEAR: "#bfe1d9",
    INVESTMENT: "#fe7f0e",
    REVENUE: "#2ba02b",
    FUNDING: "#9467bd",
    FOUNDED: "#8c564b",
    IN_YEAR: "#e377c2",
    LOCATED_IN: "#1f77b4",
    PART_OF: "#bcbd22",
}


def allowed_relations(head_label: str, tail_label: str) -> tuple[str, ...]:
    """Relation types whose signature is ``head_label → tail_label``."""
    return tuple(
        rel for rel, (h, t) in RELATION_SIGNATURES.items() if h == head_label and t == tail_label
    )
