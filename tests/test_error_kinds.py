"""The report's error breakdown: entity errors by kind (issue #21) and end-to-end relation
errors by cause (issue #22)."""

from __future__ import annotations

from zhnews.evaluate.errors import entity_error_kinds, relation_error_kinds

EX = ("doc", 1)


def test_entity_errors_are_boundary_label_spurious_or_missing():
    gold = {(EX, 0, 4, "ORG"), (EX, 10, 14, "ORG"), (EX, 20, 25, "MONEY"), (EX, 30, 33, "ORG")}
    predicted = {(EX, 0, 4, "ORG"),  # right
                 (EX, 10, 16, "ORG"),  # runs on: boundary (FP and FN)
                 (EX, 20, 25, "ORG"),  # the MONEY span called ORG: label (FP), and the MONEY missed as label (FN)
                 (EX, 40, 42, "ORG")}  # nothing there: spurious; 30-33 is missing
    kinds = entity_error_kinds(gold, predicted)
    assert kinds["ORG"] == {"fp boundary": 1, "fp label": 1, "fp spurious": 1, "fn boundary": 1, "fn label": 0,
                            "fn missing": 1}
    assert kinds["MONEY"]["fn label"] == 1 and sum(kinds["MONEY"].values()) == 1


def test_relation_errors_are_blamed_on_the_entity_or_the_classifier():
    org, org_cut, money, year = (0, 4), (0, 3), (5, 9), (10, 15)
    gold_entities = {(EX, *org, "ORG"), (EX, *money, "MONEY"), (EX, *year, "YEAR")}
    predicted_entities = {(EX, *org_cut, "ORG"), (EX, *money, "MONEY"), (EX, *year, "YEAR")}
    gold = {(EX, org, money, "INVESTMENT"), (EX, money, year, "IN_YEAR")}
    predicted = {(EX, org_cut, money, "INVESTMENT"),  # the ORG was cut short
                 (EX, year, money, "IN_YEAR")}  # hypothetical wrong direction on right entities
    kinds = relation_error_kinds(gold, predicted, gold_entities, predicted_entities)
    assert kinds["INVESTMENT"] == {"fn entity wrong": 1, "fn classifier wrong": 0, "fp entity wrong": 1,
                                   "fp classifier wrong": 0}
    assert kinds["IN_YEAR"] == {"fn entity wrong": 0, "fn classifier wrong": 1, "fp entity wrong": 0,
                                "fp classifier wrong": 1}


def test_error_rows_come_in_the_labels_order():
    """Regression: rows came in the order a set of keys was walked (it changes with Python's string
    hashing), so re-running an evaluation with the same figures rewrote the report."""
    from zhnews.labels import ENTITY_LABELS, RELATION_TYPES

    predicted = {(EX, 10 * i, 10 * i + 2, label) for i, label in enumerate(("YEAR", "ORG", "MONEY"))}
    assert list(entity_error_kinds(set(), predicted)) == list(ENTITY_LABELS)
    spans = [(20 * i, 20 * i + 3) for i in range(len(RELATION_TYPES))]
    relations = {(EX, span, (span[1] + 1, span[1] + 4), t) for span, t in zip(spans, reversed(RELATION_TYPES))}
    assert list(relation_error_kinds(relations, set(), set(), set())) == list(RELATION_TYPES)
