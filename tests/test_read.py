"""Reading inputs: encodings, bad files and JSONL, each a result or a clear per-document error."""

from __future__ import annotations

import io
import os

import pytest

from zhnews.io.read import ReadStats, iter_documents

TEXT = "常州高新区实现地区生产总值1585.37亿元。"
TRAD = "常州高新區實現地區生產總值1585.37億元。"


def _docs(*inputs, **kwargs):
    return list(iter_documents([str(i) for i in inputs], **kwargs))


@pytest.mark.parametrize(
    "data, encoding, expected",
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", TEXT),
        (TEXT.encode("utf-16"), "utf-16-le", TEXT),
        (TEXT.encode("gb18030"), "gb18030", TEXT),
        (TRAD.encode("big5"), "big5", TRAD),
    ],
)
def test_encodings_are_detected(tmp_path, data, encoding, expected):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    [doc] = _docs(path)
    assert doc.ok and doc.raw == expected and doc.encoding == encoding


def test_empty_file_is_a_document(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    [doc] = _docs(tmp_path / "empty.txt")
    assert doc.ok and doc.raw == ""


def test_binary_file_is_an_error(tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    [doc] = _docs(png)
    assert not doc.ok and "binary" in doc.error


def test_missing_and_unreadable_paths_are_errors(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    docs = _docs(tmp_path / "missing.txt", locked)
    assert docs[0].error == "no such file or directory"
    if os.geteuid() != 0:  # root reads anything
        assert "cannot read" in docs[1].error


def test_too_large_file_is_an_error_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(20 * 1024 * 1024)
    [doc] = _docs(big, max_bytes=8 * 1024 * 1024)
    assert not doc.ok and "too large" in doc.error


def test_jsonl_lines_and_malformed_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"id": "a", "text": "一"}\n{oops\n\n{"text": "三"}\n[1]\n', encoding="utf-8")
    docs = _docs(path)
    assert [(d.id, d.ok) for d in docs] == [("a", True), ("batch:2", False), ("batch:4", True), ("batch:5", False)]
    assert "malformed JSON" in docs[1].error and docs[2].raw == "三"


def test_directory_is_read_recursively_in_order_and_skips_are_counted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("二", encoding="utf-8")
    (tmp_path / "1.txt").write_text("一", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    stats = ReadStats(skipped_files=[])
    docs = _docs(tmp_path, stats=stats)
    assert [d.id for d in docs] == ["1", "b/2"]
    assert [os.path.basename(s) for s in stats.skipped_files] == ["notes.md"]


def test_stdin_text_and_jsonl():
    [doc] = list(iter_documents(["-"], stdin=io.BytesIO(TEXT.encode("gb18030"))))
    assert doc.id == "stdin" and doc.raw == TEXT
    docs = list(iter_documents(["-"], stdin=io.BytesIO(b'{"id": 7, "text": "x"}\n')))
    assert [(d.id, d.raw) for d in docs] == [("7", "x")]
