"""The scorer, on cases computed by hand."""

from __future__ import annotations

import pytest

from zhnews.scoring import MICRO, score_partial, score_strict

GOLD = {("d", 0, 4, "ORG"), ("d", 10, 15, "MONEY"), ("d", 20, 25, "ORG"), ("e", 0, 5, "YEAR")}
PRED = {("d", 0, 4, "ORG"), ("d", 10, 14, "MONEY"), ("d", 30, 33, "ORG"), ("e", 0, 5, "MONEY")}


def test_strict_per_label_and_micro():
    scores = score_strict(GOLD, PRED, labels=["ORG", "MONEY", "YEAR"])
    # ORG: tp 1 (0-4), fp 1 (30-33), fn 1 (20-25) -> P 1/2, R 1/2
    assert (scores["ORG"].tp, scores["ORG"].fp, scores["ORG"].fn) == (1, 1, 1)
    assert scores["ORG"].f1 == pytest.approx(0.5)
    # MONEY: 10-14 is not 10-15; e:0-5 MONEY is not gold -> tp 0, fp 2, fn 1
    assert (scores["MONEY"].tp, scores["MONEY"].fp, scores["MONEY"].fn) == (0, 2, 1)
    assert scores["MONEY"].f1 == 0.0
    # YEAR: never predicted -> fn 1, P defined as 0
    assert (scores["YEAR"].tp, scores["YEAR"].fp, scores["YEAR"].fn) == (0, 0, 1)
    # micro: tp 1, fp 3, fn 3 -> P = R = 1/4
    assert scores[MICRO].precision == pytest.approx(0.25) and scores[MICRO].recall == pytest.approx(0.25)
    assert scores[MICRO].f1 == pytest.approx(0.25)


def test_partial_counts_same_label_overlap_once():
    scores = score_partial(GOLD, PRED, labels=["ORG", "MONEY", "YEAR"])
    # MONEY 10-14 overlaps gold 10-15 -> tp; e:0-5 MONEY overlaps only a YEAR -> fp
    assert (scores["MONEY"].tp, scores["MONEY"].fp, scores["MONEY"].fn) == (1, 1, 0)
    assert scores[MICRO].tp == 2 and scores[MICRO].fp == 2 and scores[MICRO].fn == 2
    # two predictions over one gold span: one tp, one fp
    twice = score_partial({("d", 0, 10, "ORG")}, {("d", 0, 4, "ORG"), ("d", 5, 10, "ORG")})
    assert (twice["ORG"].tp, twice["ORG"].fp, twice["ORG"].fn) == (1, 1, 0)


def test_relations_use_the_same_strict_scorer():
    gold = {("d", (0, 4), (10, 15), "INVESTMENT"), ("d", (10, 15), (20, 25), "IN_YEAR")}
    pred = {("d", (0, 4), (10, 15), "REVENUE"), ("d", (10, 15), (20, 25), "IN_YEAR")}
    scores = score_strict(gold, pred)
    assert scores["IN_YEAR"].f1 == 1.0
    assert scores["INVESTMENT"].recall == 0.0 and scores["REVENUE"].precision == 0.0
    assert scores[MICRO].f1 == pytest.approx(0.5)


def test_empty_inputs_give_zero_not_an_error():
    assert score_strict(set(), set())[MICRO].f1 == 0.0


def test_per_document_counts_and_bootstrap_interval():
    from zhnews.scoring import bootstrap_interval, document_counts

    # the example keys "d" and "e" belong to documents 0 and 1
    counts = document_counts(GOLD, PRED, {"d": 0, "e": 1}, 2)
    assert counts.tolist() == [[1, 0], [2, 1], [2, 1]]  # tp, fp, fn per document
    assert document_counts(GOLD, PRED, {"d": 0, "e": 1}, 2, label="ORG").tolist() == [[1, 0], [1, 0], [1, 0]]
    low, high = bootstrap_interval(GOLD, PRED, {"d": 0, "e": 1}, 2, resamples=200)
    # a resample holds d twice (F 1/3), e twice (F 0) or both (the sample's .25)
    assert low == 0.0 and high == pytest.approx(1 / 3, abs=1e-4)
    # every document alike: no spread
    same = {(f"d{i}", 0, 4, "ORG") for i in range(20)}
    assert bootstrap_interval(same, same, {f"d{i}": i for i in range(20)}, 20) == (1.0, 1.0)
