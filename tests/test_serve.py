"""``zhnews serve``: the API through its test client (every error class), the page in headless
Chromium against a real server, and a bounded load test on loopback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi", reason="the service extra (zhnews[serve]) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from zhnews.io.read import Document  # noqa: E402
from zhnews.loader import load_pipeline  # noqa: E402
from zhnews.run import process_document  # noqa: E402
from zhnews.serve import Analyzer, ServeSettings, create_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import serve_load  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = "常州高新区2024年实现地区生产总值1585.37亿元。天纳克(常州)减振系统有限公司获得资金600万元。"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def client(nlp):
    settings = ServeSettings(max_body_bytes=50_000, max_documents=3, timeout_s=30)
    analyzer = Analyzer(settings)
    analyzer.nlp = nlp
    with TestClient(create_app(settings, analyzer=analyzer)) as test_client:
        yield test_client


def test_health_and_records_equal_to_zhnews_run(client, nlp):
    assert client.get("/healthz").json()["status"] == "ok"
    response = client.post("/v1/analyze", json={"documents": [{"id": "a", "text": PARAGRAPH}, {"id": "b", "text": "没有实体。"}]})
    assert response.status_code == 200
    records = response.json()["records"]
    expected = process_document(Document("a", "<request>", raw=PARAGRAPH), nlp)
    assert records[0] == json.loads(json.dumps(expected, ensure_ascii=False))
    assert [r["id"] for r in records] == ["a", "b"] and records[1]["entities"] == []


def test_facts(client):
    body = client.post("/v1/facts", json={"text": PARAGRAPH}).json()
    assert any(f["org"] == "常州高新区" and f["relation"] == "REVENUE" and f["value"] == 158537000000 for f in body["facts"])
    assert body["errors"] == []


@pytest.mark.parametrize("payload", [b"{not json", b'{"txt": "x"}', b'{"text": 5}', b'{"text": "x", "documents": []}',
                                     b'{"documents": [{"id": "a"}]}', b"[]"])
def test_malformed_or_wrong_fields_are_422(client, payload):
    response = client.post("/v1/analyze", content=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "error" in response.json()


def test_body_over_the_limit_is_413_announced_or_chunked(client):
    big = json.dumps({"text": "长" * 60_000}).encode("utf-8")
    assert client.post("/v1/analyze", content=big, headers={"Content-Type": "application/json"}).status_code == 413

    def chunks():
        for i in range(0, len(big), 8192):
            yield big[i:i + 8192]

    response = client.post("/v1/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_too_many_documents_is_413(client):
    documents = [{"id": str(i), "text": "x"} for i in range(4)]
    assert client.post("/v1/analyze", json={"documents": documents}).status_code == 413


def test_a_document_that_fails_inside_the_pipeline_is_its_error_record(client, nlp, monkeypatch):
    def broken(doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(nlp, "make_doc", broken)
    response = client.post("/v1/analyze", json={"documents": [{"id": "a", "text": PARAGRAPH}]})
    assert response.status_code == 200 and "boom" in response.json()["records"][0]["error"]
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200  # the server is still up


def test_request_time_limit_is_504(nlp):
    settings = ServeSettings(timeout_s=0.001)
    analyzer = Analyzer(settings)
    analyzer.nlp = nlp
    with TestClient(create_app(settings, analyzer=analyzer)) as slow:
        assert slow.post("/v1/analyze", json={"text": PARAGRAPH * 50}).status_code == 504


def test_docs_and_page_need_no_network(client):
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    page = client.get("/").text
    assert "<script>" in page and "http://" not in page and "https://" not in page
    assert client.get("/openapi.json").json()["paths"].keys() >= {"/v1/analyze", "/v1/facts", "/healthz"}


@pytest.fixture(scope="module")
def server():
    port = serve_load.free_port()
    process = serve_load.start_server(port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=30)


def test_page_highlights_entities_in_headless_chromium(server, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (scripts/test.sh installs Debian's chromium when CI=true)")
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it and runs this test")
    from urllib.parse import quote

    url = f"{server}/?run=1&text={quote(PARAGRAPH)}"
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000"]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    assert 'data-label="ORG"' in dom and "常州高新区" in dom and 'data-label="MONEY"' in dom
    assert "REVENUE" in dom  # the relations list and the facts table
    screenshot = tmp_path / "page.png"
    subprocess.run([*flags, f"--screenshot={screenshot}", "--window-size=1200,1400", url], capture_output=True, timeout=120)
    assert screenshot.read_bytes().startswith(PNG_MAGIC)
    shutil.copy(screenshot, Path(os.environ.get("ZHNEWS_ARTIFACTS", tmp_path)) / "serve-page.png")


def test_bounded_load_on_loopback_has_no_errors(server, capsys):
    result = serve_load.load(server, 400, 8)
    with capsys.disabled():
        print(f"\nserve load: {result}")
    assert result["errors"] == 0, result["error_samples"]
