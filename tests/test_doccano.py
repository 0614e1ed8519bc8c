"""The annotation round trip through a real doccano server (scripts/doccano-server).

The server's venv is installed once into ``$ZHNEWS_DOCCANO_HOME`` (default
``~/.cache/zhnews/doccano``) and reused; each test session gets a fresh database in a
temporary directory and a free port on 127.0.0.1. If the server cannot be installed
(no package index) the round-trip test is skipped with the reason — except in CI
(``CI`` or ``ZHNEWS_REQUIRE_DOCCANO`` set), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhnews.cli import app
from zhnews.doccano.client import DoccanoClient, DoccanoError
from zhnews.doccano.config import DoccanoSettings
from zhnews.doccano.rows import annotation_signature
from zhnews.gold.format import GoldEntity, GoldRelation, dumps_example, load_gold
from zhnews.gold.keys import example_key
from zhnews.gold.manifest import manifest_problems
from zhnews.labels import FUNDING, MONEY, ORG, allowed_relations
from zhnews.normalize import sentence_spans

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "doccano-server"
GOLD = REPO / "annotations" / "gold"
PASSWORD = "zhnews-test-" + uuid.uuid4().hex[:8]
REQUIRED = bool(os.environ.get("CI") or os.environ.get("ZHNEWS_REQUIRE_DOCCANO"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _script(env: dict, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("doccano-data")
    port = _free_port()
    env = dict(os.environ, ZHNEWS_DOCCANO_DATA=str(data), ZHNEWS_DOCCANO_PORT=str(port),
               ZHNEWS_DOCCANO_USER="admin", ZHNEWS_DOCCANO_PASSWORD=PASSWORD)
    started = time.monotonic()
    installed = _script(env, "install")
    if installed.returncode != 0:
        reason = f"doccano server cannot be installed on this machine: {installed.stderr.strip()[-500:]}"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    install_s = time.monotonic() - started
    run = _script(env, "start", timeout=180)
    assert run.returncode == 0, run.stderr
    print(f"\ndoccano: install {install_s:.1f} s, start {time.monotonic() - started - install_s:.1f} s")
    url = f"http://127.0.0.1:{port}"
    try:
        yield {"url": url, "env": dict(env, ZHNEWS_DOCCANO_URL=url)}
    finally:
        _script(env, "stop", timeout=60)


def _copy_annotations(tmp_path: Path) -> Path:
    target = tmp_path / "annotations"
    (target).mkdir()
    shutil.copytree(GOLD, target / "gold")
    shutil.copy(REPO / "annotations" / "CHANGELOG.md", target / "CHANGELOG.md")
    return target / "gold"


def _pick_edit(examples):
    """An example with an ORG whose span can shrink and an ORG → MONEY pair in one sentence with no relation."""
    for ex in examples:
        sentences = sentence_spans(ex.text)
        sentence = lambda e: next(i for i, (a, b) in enumerate(sentences) if a <= e.start < b)  # noqa: E731
        related = {(r.head, r.tail) for r in ex.relations}
        for org in (e for e in ex.entities if e.label == ORG):
            for money in (e for e in ex.entities if e.label == MONEY):
                if sentence(org) == sentence(money) and (org.id, money.id) not in related:
                    other = next((e for e in ex.entities if e.label == ORG and e.id != org.id and e.end - e.start >= 3), None)
                    if other is not None:
                        return ex, other, org, money
    raise AssertionError("no example in the seed gold fits the simulated edit")


def test_round_trip_exactly_the_annotators_change(server, tmp_path):
    runner = CliRunner()
    env = server["env"]
    project = "zhnews-test-" + uuid.uuid4().hex[:8]
    pushed = runner.invoke(app, ["doccano", "push", str(GOLD), "--project", project, "--root", str(REPO)], env=env)
    assert pushed.exit_code == 0, pushed.output
    assert "216 uploaded" in pushed.output
    assert PASSWORD not in pushed.output
    again = runner.invoke(app, ["doccano", "push", str(GOLD), "--project", project, "--root", str(REPO)], env=env)
    assert again.exit_code == 0 and "0 uploaded, 216 already there" in again.output, again.output

    # the annotator: shrink one ORG span by a character, add one FUNDING relation
    gold = load_gold(GOLD)
    target, shrink, org, money = _pick_edit(gold)
    assert FUNDING in allowed_relations(ORG, MONEY)
    client = DoccanoClient(DoccanoSettings(url=server["url"], user="admin", password=PASSWORD))
    proj = client.get_project(project)
    remote = next(ex for ex in client.examples(proj) if ex.meta["meta"]["source"] == target.source
                  and ex.meta["meta"]["raw_start"] == target.meta["raw_start"])
    spans = {(s.start, s.end): s for s in client.spans(proj, remote.id)}
    client.update_span(proj, remote.id, spans[(shrink.start, shrink.end)].id, end_offset=shrink.end - 1)
    funding = next(t for t in client.label_types(proj, "relation") if t.text == FUNDING)
    client.create_relation(proj, remote.id, spans[(org.start, org.end)].id, spans[(money.start, money.end)].id, funding.id)

    gold_dir = _copy_annotations(tmp_path)
    pulled = runner.invoke(app, ["doccano", "pull", "--project", project, "--gold", str(gold_dir), "--root", str(REPO)], env=env)
    assert pulled.exit_code == 0, pulled.output
    assert "1 changed, 0 added, 215 unchanged" in pulled.output
    assert target.doc_id in pulled.output and "+ relation FUNDING" in pulled.output

    # exactly that change: the expected example, built locally
    next_relation = max(r.id for ex in gold if ex.path == target.path for r in ex.relations) + 1
    expected = load_gold(target.path)[target.line - 1]
    expected.entities = [GoldEntity(e.id, e.label, e.start, e.end - 1) if e.id == shrink.id else e for e in expected.entities]
    expected.relations = expected.relations + [GoldRelation(next_relation, org.id, money.id, FUNDING)]
    new = {example_key(ex): ex for ex in load_gold(gold_dir)}
    assert len(new) == len(gold)
    for ex in gold:
        if example_key(ex) == example_key(target):
            assert annotation_signature(new[example_key(ex)]) == annotation_signature(expected)
            assert dumps_example(new[example_key(ex)]) == dumps_example(expected)  # ids kept, new relation numbered next
        else:
            assert dumps_example(new[example_key(ex)]) == dumps_example(ex)
    for path in GOLD.glob("*.jsonl"):
        if path.name != Path(target.path).name:
            assert (gold_dir / path.name).read_bytes() == path.read_bytes()
    assert manifest_problems(gold_dir) == []
    changelog = (gold_dir.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Revision 2" in changelog and project in changelog

    # pulling again changes nothing
    before = {p.name: p.read_bytes() for p in gold_dir.parent.rglob("*") if p.is_file()}
    repull = runner.invoke(app, ["doccano", "pull", "--project", project, "--gold", str(gold_dir), "--root", str(REPO)], env=env)
    assert repull.exit_code == 0 and "0 changed, 0 added, 216 unchanged" in repull.output, repull.output
    assert before == {p.name: p.read_bytes() for p in gold_dir.parent.rglob("*") if p.is_file()}

    # an edit of the same example in the repo since the push is a conflict, not overwritten
    lines = (gold_dir / Path(target.path).name).read_text(encoding="utf-8").splitlines(keepends=True)
    conflicted = load_gold(GOLD)  # the repo as pushed, then someone edits the target in the repo
    shutil.rmtree(gold_dir)
    shutil.copytree(GOLD, gold_dir)
    edited = next(ex for ex in conflicted if example_key(ex) == example_key(target))
    edited.entities = [e for e in edited.entities if e.id != money.id]
    edited.relations = [r for r in edited.relations if money.id not in (r.head, r.tail)]
    from zhnews.gold.format import dump_examples
    from zhnews.gold.manifest import write_manifest
    dump_examples([ex for ex in conflicted if ex.path == target.path], gold_dir / Path(target.path).name)
    write_manifest(gold_dir)
    snapshot = {p.name: p.read_bytes() for p in gold_dir.iterdir()}
    conflict = runner.invoke(app, ["doccano", "pull", "--project", project, "--gold", str(gold_dir), "--root", str(REPO)], env=env)
    assert conflict.exit_code == 3, conflict.output
    assert "conflict" in conflict.output and "1 conflict(s)" in conflict.output
    assert snapshot == {p.name: p.read_bytes() for p in gold_dir.iterdir()}
    assert lines  # the clean pull's file was written


def test_missing_project_and_bad_credentials_are_clear(server, tmp_path):
    runner = CliRunner()
    gold_dir = _copy_annotations(tmp_path)
    missing = runner.invoke(app, ["doccano", "pull", "--project", "no-such-project", "--gold", str(gold_dir)], env=server["env"])
    assert missing.exit_code == 1 and "no project named 'no-such-project'" in missing.output
    bad = dict(server["env"], ZHNEWS_DOCCANO_PASSWORD="wrong-" + PASSWORD)
    refused = runner.invoke(app, ["doccano", "pull", "--project", "x", "--gold", str(gold_dir)], env=bad)
    assert refused.exit_code == 2 and "bad credentials" in refused.output
    assert PASSWORD not in refused.output


def test_server_down_pull_fails_clearly_and_gold_untouched(tmp_path):
    gold_dir = _copy_annotations(tmp_path)
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    env = {"ZHNEWS_DOCCANO_URL": f"http://127.0.0.1:{_free_port()}", "ZHNEWS_DOCCANO_USER": "admin",
           "ZHNEWS_DOCCANO_PASSWORD": "secret-" + PASSWORD, "ZHNEWS_DOCCANO_CONFIG": str(tmp_path / "none.toml")}
    result = CliRunner().invoke(app, ["doccano", "pull", "--project", "p", "--gold", str(gold_dir)], env=env)
    assert result.exit_code == 2
    assert "cannot reach the doccano server at http://127.0.0.1:" in result.output
    assert "secret-" not in result.output
    assert before == {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


def test_client_error_on_unreachable_server():
    with pytest.raises(DoccanoError, match="cannot reach"):
        DoccanoClient(DoccanoSettings(url=f"http://127.0.0.1:{_free_port()}", password="x"))


def test_secrets_are_owner_only_and_the_password_is_not_on_a_command_line(server):
    """Issue #18 (12): db.sqlite3 (API tokens) was mode 644; the admin password was an argument of createuser."""
    data = Path(server["env"]["ZHNEWS_DOCCANO_DATA"])
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.glob("db.sqlite3*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert "createuser" not in SCRIPT.read_text(encoding="utf-8")
    log = (data / "run" / "init.log").read_text(encoding="utf-8")
    assert PASSWORD not in log
