"""Registry name lists (listed companies, zones, dictionaries) as NER features: reading them
verified, storing them with the pipeline, and the features they give each character."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import srsly
from spacy.lang.zh import Chinese
from spacy.tokens import Doc

from zhnews.ner.lexicon import LexiconFeatures
from zhnews.ner.registries import REGISTRIES_SPEC, RegistryError, load_spec, read_registries

SHARED_GAZETTEERS = Path(__file__).resolve().parents[2] / "shared" / "gazetteers"


def _folder(tmp_path: Path, lists: dict[str, str]) -> tuple[Path, Path]:
    (tmp_path / "lists").mkdir()
    sums = []
    for name, body in lists.items():
        path = tmp_path / "lists" / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        sums.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  lists/{name}.txt")
    (tmp_path / "checksums.sha256").write_text("\n".join(sums) + "\n", encoding="utf-8")
    spec = tmp_path / "registries.json"
    spec.write_text(json.dumps({"families": {"Lst": {"lists": {"short": 2, "former": 3}}, "Zon": {"lists": {"zones": 4}}}}),
                    encoding="utf-8")
    return tmp_path, spec


def test_families_gather_their_lists_with_each_lists_minimum_length(tmp_path):
    folder, spec = _folder(tmp_path, {"short": "# source | licence\n比亚迪\n中\n", "former": "三峡\n秦川发展\n",
                                      "zones": "# zones\n武进高新区\n高新区\n"})
    registries = read_registries(folder, spec=spec)
    assert registries.names == {"Lst": ["比亚迪", "秦川发展"], "Zon": ["武进高新区"]}
    assert set(registries.sources) == {"lists/short.txt", "lists/former.txt", "lists/zones.txt"}
    assert read_registries(folder, ("Zon",), spec=spec).names == {"Zon": ["武进高新区"]}


def test_an_altered_list_is_refused(tmp_path):
    folder, spec = _folder(tmp_path, {"short": "比亚迪\n", "former": "秦川发展\n", "zones": "武进高新区\n"})
    (folder / "lists" / "short.txt").write_text("比亚迪\n公司\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="does not match"):
        read_registries(folder, spec=spec)


def test_a_missing_list_or_unknown_family_is_an_error(tmp_path):
    folder, spec = _folder(tmp_path, {"short": "比亚迪\n", "former": "秦川发展\n", "zones": "武进高新区\n"})
    with pytest.raises(RegistryError, match="unknown registry families"):
        read_registries(folder, ("Foo",), spec=spec)
    (folder / "lists" / "zones.txt").unlink()
    with pytest.raises(RegistryError, match="missing"):
        read_registries(folder, spec=spec)


def test_the_committed_spec_names_only_lists_of_the_gazetteers_folder():
    spec = load_spec(REGISTRIES_SPEC)
    assert set(spec) == {"Lst", "Zon", "Dic"}
    if SHARED_GAZETTEERS.is_dir():
        registries = read_registries(SHARED_GAZETTEERS)
        assert all(len(names) > 1000 for names in registries.names.values())


def _char_doc(words: list[str]) -> Doc:
    chars, tags, lemmas = [], [], []
    for word in words:
        for i, char in enumerate(word):
            chars.append(char)
            tags.append(("S" if len(word) == 1 else "B" if i == 0 else "E" if i == len(word) - 1 else "M") + "1")
            lemmas.append(word)
    return Doc(Chinese().vocab, words=chars, spaces=[False] * len(chars), tags=tags, lemmas=lemmas)


def test_each_family_is_one_bies_feature_and_survives_bytes_and_disk(tmp_path):
    lexicon = LexiconFeatures()
    lexicon.set_names(["天合光能"], ["常州"], {"Lst": ["天合光能", "比亚迪"], "Zon": ["武进高新区"]})
    doc = lexicon(_char_doc(["比亚迪", "在", "武进", "高新区", "投资"]))
    morph = [str(t.morph) for t in doc]
    assert [m.split("|") for m in morph][0] == ["Loc=O", "Lst=B", "Org=O", "Suf=0", "Zon=O"]
    assert [t.morph.get("Lst") for t in doc][:3] == [["B"], ["I"], ["E"]]
    assert [t.morph.get("Zon") for t in doc][4:9] == [["B"], ["I"], ["I"], ["I"], ["E"]]
    copy = LexiconFeatures().from_bytes(lexicon.to_bytes())
    assert copy.registries == lexicon.registries
    lexicon.to_disk(tmp_path / "lexicon")
    assert LexiconFeatures().from_disk(tmp_path / "lexicon").registries == lexicon.registries


def test_a_pipeline_saved_before_registries_loads_without_them(tmp_path):
    (tmp_path / "lexicon").mkdir()
    srsly.write_msgpack(tmp_path / "lexicon" / "names.msgpack", {"org": ["天合光能"], "place": ["常州"]})
    srsly.write_json(tmp_path / "lexicon" / "cfg", {"max_words": 5})
    lexicon = LexiconFeatures().from_disk(tmp_path / "lexicon")
    assert lexicon.registries == {} and lexicon.org_names == {"天合光能"}
    assert str(lexicon(_char_doc(["天合光能"]))[0].morph) == "Loc=O|Org=B|Suf=0"
