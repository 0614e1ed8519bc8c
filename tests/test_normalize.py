"""Normalization: the text it makes, and the offset map back to the raw text."""

from __future__ import annotations

import re

import opencc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from zhnews.normalize import normalize, sentence_spans

GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def _seed_alphabet(paths) -> str:
    return "".join(sorted({c for p in paths for c in p.read_text(encoding="utf-8")}))


# --- examples from the seeds -------------------------------------------------


def test_gloss_removed_and_simplified():
    assert normalize("發(fā)展").text == "发展"
    assert normalize("現(xiàn)代化建設(shè)").text == "现代化建设"


def test_gloss_in_fullwidth_parentheses_and_of_several_syllables_removed():
    """Issue #18 (13): 发（fā）展 and 比亚迪(bǐ yà dí) kept their glosses."""
    norm = normalize("发（fā）展，比亚迪(bǐ yà dí)常州基地")
    assert norm.text == "发展，比亚迪常州基地"
    start = norm.text.index("常州")
    assert norm.raw_span(start, start + 2) == (20, 22)
    assert normalize("苹果(Apple)与天纳克(常州)").text == "苹果(Apple)与天纳克(常州)"


def test_gloss_needs_a_tone_mark_and_a_preceding_character():
    assert normalize("中国移动(cmcc)").text == "中国移动(cmcc)"
    assert normalize("(fā)").text == "(fā)"


def test_doubled_punctuation_collapsed():
    assert normalize("资金600万元,。组装").text == "资金600万元。组装"
    assert normalize("工序,,30多道").text == "工序,30多道"
    assert normalize("有限公司,、").text == "有限公司、"


def test_fullwidth_letters_and_digits_made_halfwidth_cjk_punctuation_kept():
    assert normalize("ＡＩ大模型１２．５％，“好”").text == "AI大模型12.5%，“好”"


def test_word_broken_across_page_break_is_joined():
    raw = "青年聚,城市兴,钟楼经开区大力营造“拴心留人”的人才发展环境。行走在数字经济产业园的Hi街,惊讶于这里的“咖啡浓度”。“星巴\n\n克、瑞幸、TOP,一周7天咖啡不重样。”"
    assert "“星巴克、瑞幸" in normalize(raw).text


def test_line_ending_in_comma_is_joined_heading_break_kept():
    assert normalize("32年来,\n\n以产业立区的常州高新区,\n\n将改革融入").text == "32年来,以产业立区的常州高新区,将改革融入"
    assert normalize("发展出题目\n\n改革做文章").text == "发展出题目\n改革做文章"
    assert normalize("第一段。\n\n\n第二段。").text == "第一段。\n第二段。"


def test_control_and_zero_width_characters_removed():
    assert normalize("常\u200b州\x00高新区\ufeff").text == "常州高新区"


def test_mojibake_reported_with_raw_offsets_and_kept():
    raw = "可滿足30萬臺車的配套?!痹摴靖睆S長陳映輝介紹,。"
    norm = normalize(raw)
    assert [w.code for w in norm.warnings] == ["mojibake"]
    w = norm.warnings[0]
    assert raw[w.raw_start:w.raw_end].startswith("?!痹摴靖")
    assert "痹摴靖" in norm.text


def test_genuine_question_mark_is_not_mojibake():
    assert normalize("如何交出常州答卷?11月26日召开").warnings == []


def test_sentences_end_at_final_punctuation_and_line_breaks_not_commas():
    text = "他说:“好。”然后走了,又回来;再见!\n标题\n最后?"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["他说:“好。”", "然后走了,又回来;再见!", "标题", "最后?"]


def test_seed_texts(seed_paths):
    t2s = opencc.OpenCC("t2s")
    for path in seed_paths:
        norm = normalize(path.read_text(encoding="utf-8"))
        assert t2s.convert(norm.text) == norm.text, path.name
        assert not GLOSS.search(norm.text), path.name
        assert "\n\n" not in norm.text and norm.text == norm.text.strip()


# --- properties of the offset map ---------------------------------------------

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


@settings(max_examples=300, deadline=None)
@given(any_text)
@example("")
@example("\ud800\udfff\x00\x85\u2028星巴\r\n\r\n克")
def test_map_is_total_monotonic_and_in_range(raw):
    norm = normalize(raw)
    mapped = norm.mapped
    n = len(norm.text)
    assert len(mapped.starts) == len(mapped.ends) == n
    if n:
        assert (mapped.starts[1:] >= mapped.starts[:-1]).all()
        assert (mapped.ends[1:] >= mapped.ends[:-1]).all()
        assert (mapped.starts < mapped.ends).all()
        assert mapped.starts.min() >= 0 and mapped.ends.max() <= len(raw)
    assert norm.raw_span(0, n) == ((int(mapped.starts[0]), int(mapped.ends[-1])) if n else (len(raw), len(raw)))
    for w in norm.warnings:
        assert 0 <= w.raw_start < w.raw_end <= len(raw)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_normalization_is_idempotent(raw):
    once = normalize(raw).text
    assert normalize(once).text == once


@st.composite
def seedlike_text(draw, alphabet):
    pieces = draw(st.lists(st.one_of(
        st.text(st.sampled_from(alphabet), min_size=1, max_size=30),
        st.sampled_from(["\n", "\n\n", "\n \n", ",,", ",。", "(fā)", "(yè)", "?!", "　", "ＡＢ１２", "\r\n"]),
    ), max_size=25))
    return "".join(pieces)


def test_every_character_maps_back_to_raw_that_normalizes_to_it(seed_paths):
    alphabet = _seed_alphabet(seed_paths)

    @settings(max_examples=300, deadline=None)
    @given(seedlike_text(alphabet))
    def check(raw):
        norm = normalize(raw)
        for i, char in enumerate(norm.text):
            if char.isspace():
                continue
            a, b = norm.raw_span(i, i + 1)
            assert normalize(raw[a:b], fragment=True).text == char, (raw, i)

    check()


def test_seed_words_map_back_across_joined_lines(seed_paths):
    """Ranges that span a joined break (星巴\\n\\n克) still normalize back to themselves."""
    for path in seed_paths:
        raw = path.read_text(encoding="utf-8")
        norm = normalize(raw)
        text = norm.text
        for start in range(0, len(text) - 3, 7):
            end = start + 3
            if any(c.isspace() for c in text[start:end]):
                continue
            a, b = norm.raw_span(start, end)
            assert normalize(raw[a:b], fragment=True).text == text[start:end], (path.name, start)
