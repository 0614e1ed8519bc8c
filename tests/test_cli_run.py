"""End to end: ``zhnews run`` on the seeds and on a batch of bad inputs, as a user runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import opencc
import pytest

from zhnews.normalize import normalize

REPO = Path(__file__).resolve().parent.parent
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def zhnews(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhnews.cli", *args], cwd=REPO, input=stdin, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("run") / "out.jsonl"
    result = zhnews("run", "seeds/", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_one_record_per_seed_with_the_fixed_keys(seed_records):
    assert [r["id"] for r in seed_records] == sorted(p.stem for p in (REPO / "seeds").glob("*.txt"))
    for record in seed_records:
        assert set(record) == {"id", "source", "text", "tokens", "sentences", "entities", "relations", "warnings"}


def test_normalized_text_is_simplified_without_glosses(seed_records):
    t2s = opencc.OpenCC("t2s")
    for record in seed_records:
        assert t2s.convert(record["text"]) == record["text"]
        assert not GLOSS.search(record["text"])


def test_starbucks_is_one_word_across_the_page_break(seed_records):
    record = next(r for r in seed_records if r["id"].startswith("000_"))
    assert "星巴克" in [t["text"] for t in record["tokens"]]


def test_every_token_maps_back_to_its_raw_text(seed_records):
    for record in seed_records:
        raw = (REPO / record["source"]).read_text(encoding="utf-8")
        for token in record["tokens"]:
            assert record["text"][token["start"]:token["end"]] == token["text"]
            fragment = raw[token["raw_start"]:token["raw_end"]]
            assert normalize(fragment, fragment=True).text == token["text"], (record["id"], token)


def test_mojibake_is_reported_with_raw_offsets(seed_records):
    record = next(r for r in seed_records if r["id"].startswith("002_"))
    raw = (REPO / record["source"]).read_text(encoding="utf-8")
    warnings = [w for w in record["warnings"] if w["code"] == "mojibake"]
    assert warnings and all(raw[w["raw_start"]] == "?" for w in warnings)


def test_bad_inputs_each_get_a_record_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("常州高新区实现地区生产总值1585.37亿元。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "gb.txt").write_bytes("钟楼经开区位列全省第21名。".encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes("鐘樓經開區位列全省第21名。".encode("big5"))
    (tmp_path / "utf16.txt").write_bytes("钟楼经开区位列全省第21名。".encode("utf-16"))
    with (tmp_path / "huge.txt").open("wb") as f:
        f.truncate(20 * 1024 * 1024)
    (tmp_path / "batch.jsonl").write_text('{"id": "j1", "text": "天纳克获得资金600万元。"}\n{not json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = zhnews("run", str(tmp_path), str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.returncode == 1
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(records) == {"batch:2", "big5", "empty", "gb", "good", "huge", "image", "j1", "missing", "utf16"}
    assert "binary" in records["image"]["error"]
    assert "too large" in records["huge"]["error"]
    assert "malformed JSON" in records["batch:2"]["error"]
    assert records["missing"]["error"] == "no such file or directory"
    for doc_id in ("gb", "big5", "utf16"):
        assert records[doc_id]["text"] == "钟楼经开区位列全省第21名。"
    assert records["empty"]["text"] == "" and records["empty"]["tokens"] == []
    assert records["j1"]["text"] == "天纳克获得资金600万元。"
    assert b"failed" in result.stderr


def test_stdin_and_multiple_processes_give_the_same_records(tmp_path):
    text = "天纳克(常州)减振系统有限公司此次获得市级重大项目设备投入资金600万元。".encode("utf-8")
    one = zhnews("run", "-", stdin=text)
    assert one.returncode == 0
    [record] = [json.loads(line) for line in one.stdout.decode().splitlines()]
    assert record["id"] == "stdin"
    out1, out2 = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    assert zhnews("run", "seeds/", "-o", str(out1)).returncode == 0
    assert zhnews("run", "seeds/", "-o", str(out2), "--n-process", "2").returncode == 0
    assert out1.read_text(encoding="utf-8") == out2.read_text(encoding="utf-8")


def test_missing_model_is_a_clear_error(tmp_path):
    result = zhnews("run", "seeds/", "--model", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and b"no zhnews pipeline" in result.stderr


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "python").exists(), reason="needs the .venv that scripts/test.sh creates")
def test_quickstart_script_with_output_paths(tmp_path):
    """Regression: venv.sh, sourced without arguments, received the script's own (the output path)."""
    out, facts = tmp_path / "out.jsonl", tmp_path / "facts.csv"
    result = subprocess.run(["bash", "scripts/run-seeds.sh", str(out), str(facts)], cwd=REPO, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    assert facts.read_text(encoding="utf-8-sig").startswith("document,source,org,org_full_name,relation")
