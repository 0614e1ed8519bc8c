"""A small typed adapter over doccano 1.8's REST API, with ``requests``.

Only what the round trip needs: login, projects, label types, upload (filepond +
import task), examples, spans and relations, export. Every failure becomes a
:class:`DoccanoError` with a message a person can act on; credentials never appear
in one. Pitfalls handled here (``../shared/doccano/RECIPE.md``): the import task does
not fail the HTTP call, so its status is polled and checked; export is a zip.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from dataclasses import dataclass
from typing import Any, Iterator

import requests

from .config import DoccanoSettings

TIMEOUT = 30


class DoccanoError(RuntimeError):
    pass


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    use_relation: bool


@dataclass(frozen=True)
class LabelType:
    id: int
    text: str
    color: str


@dataclass(frozen=True)
class RemoteExample:
    id: int
    text: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class RemoteSpan:
    id: int
    label: int
    start: int
    end: int


@dataclass(frozen=True)
class RemoteRelation:
    id: int
    from_id: int
    to_id: int
    type: int


class DoccanoClient:
    def __init__(self, settings: DoccanoSettings, *, task_timeout: float = 300.0):
        self.url = settings.url.rstrip("/")
        self.task_timeout = task_timeout
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self._login(settings)

    # -- plumbing ---------------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, self.url + path, timeout=TIMEOUT, **kwargs)
        except requests.ConnectionError:
            raise DoccanoError(
                f"cannot reach the doccano server at {self.url}: is it running? (scripts/doccano-server status)"
            ) from None
        except requests.Timeout:
            raise DoccanoError(f"the doccano server at {self.url} did not answer within {TIMEOUT} s") from None
        if response.status_code in (401, 403):
            raise DoccanoError(f"doccano refused {method} {path} ({response.status_code}): check the user's permissions")
        if response.status_code >= 400:
            raise DoccanoError(f"doccano {method} {path} failed ({response.status_code}): {response.text[:300]}")
        return response

    def _json(self, method: str, path: str, **kwargs) -> Any:
        response = self._request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise DoccanoError(f"doccano {method} {path} answered with non-JSON: {response.text[:200]!r}") from None

    def _login(self, settings: DoccanoSettings) -> None:
        if settings.token:
            self.session.headers["Authorization"] = f"Token {settings.token}"
        else:
            try:
                response = self.session.post(
                    self.url + "/v1/auth/login/", json={"username": settings.user, "password": settings.password},
                    timeout=TIMEOUT,
                )
            except (requests.ConnectionError, requests.Timeout):
                raise DoccanoError(
                    f"cannot reach the doccano server at {self.url}: is it running? (scripts/doccano-server status)"
                ) from None
            if response.status_code == 400:
                raise DoccanoError(f"doccano at {self.url} rejected the login of user {settings.user!r}: bad credentials")
            if response.status_code >= 400 or "key" not in (response.json() if response.content else {}):
                raise DoccanoError(f"doccano login at {self.url} failed ({response.status_code})")
            self.session.headers["Authorization"] = f"Token {response.json()['key']}"
            self.session.cookies.clear()  # token auth only: a session cookie would make DRF demand CSRF
        self._json("GET", "/v1/me")  # fails clearly on a bad token

    def _paged(self, path: str, params: dict | None = None) -> Iterator[dict]:
        params = dict(params or {}, limit=200, offset=0)
        while True:
            page = self._json("GET", path, params=params)
            if isinstance(page, list):  # unpaginated endpoints
                yield from page
                return
            yield from page["results"]
            if not page.get("next"):
                return
            params["offset"] += params["limit"]

    def wait_task(self, task_id: str, what: str) -> Any:
        deadline = time.monotonic() + self.task_timeout
        while time.monotonic() < deadline:
            status = self._json("GET", f"/v1/tasks/status/{task_id}")
            if status.get("ready"):
                if status.get("error"):
                    raise DoccanoError(f"doccano {what} failed: {status['error']}")
                return status.get("result")
            time.sleep(0.3)
        raise DoccanoError(
            f"doccano {what} did not finish within {self.task_timeout:.0f} s: is the task worker running? "
            "The import may be half-finished; check the project before pushing again"
        )

    # -- projects and label types -----------------------------------------------------------------

    def projects(self) -> list[Project]:
        return [Project(p["id"], p["name"], bool(p.get("use_relation"))) for p in self._paged("/v1/projects")]

    def find_project(self, name: str) -> Project | None:
        return next((p for p in self.projects() if p.name == name), None)

    def get_project(self, name: str) -> Project:
        project = self.find_project(name)
        if project is None:
            names = ", ".join(sorted(p.name for p in self.projects())) or "none"
            raise DoccanoError(f"doccano at {self.url} has no project named {name!r} (projects: {names})")
        return project

    def create_project(self, name: str, description: str) -> Project:
        data = self._json("POST", "/v1/projects", json={
            "name": name, "description": description, "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject", "use_relation": True, "collaborative_annotation": True,
            "allow_overlapping": False, "grapheme_mode": False, "guideline": "",
        })
        return Project(data["id"], data["name"], bool(data.get("use_relation")))

    def label_types(self, project: Project, kind: str) -> list[LabelType]:
        """``kind`` is ``span`` or ``relation``."""
        return [LabelType(t["id"], t["text"], t.get("background_color", ""))
                for t in self._paged(f"/v1/projects/{project.id}/{kind}-types")]

    def create_label_type(self, project: Project, kind: str, text: str, color: str) -> LabelType:
        data = self._json("POST", f"/v1/projects/{project.id}/{kind}-types",
                          json={"text": text, "background_color": color, "text_color": "#000000"})
        return LabelType(data["id"], data["text"], data.get("background_color", ""))

    # -- examples and annotations -----------------------------------------------------------------

    def examples(self, project: Project) -> list[RemoteExample]:
        return [RemoteExample(e["id"], e["text"], e.get("meta") or {})
                for e in self._paged(f"/v1/projects/{project.id}/examples")]

    def spans(self, project: Project, example_id: int) -> list[RemoteSpan]:
        return [RemoteSpan(s["id"], s["label"], s["start_offset"], s["end_offset"])
                for s in self._paged(f"/v1/projects/{project.id}/examples/{example_id}/spans")]

    def relations(self, project: Project, example_id: int) -> list[RemoteRelation]:
        return [RemoteRelation(r["id"], r["from_id"], r["to_id"], r["type"])
                for r in self._paged(f"/v1/projects/{project.id}/examples/{example_id}/relations")]

    def update_span(self, project: Project, example_id: int, span_id: int, **fields) -> None:
        self._json("PATCH", f"/v1/projects/{project.id}/examples/{example_id}/spans/{span_id}", json=fields)

    def create_relation(self, project: Project, example_id: int, from_id: int, to_id: int, type_id: int) -> None:
        self._json("POST", f"/v1/projects/{project.id}/examples/{example_id}/relations",
                   json={"from_id": from_id, "to_id": to_id, "type": type_id})

    # -- import and export ------------------------------------------------------------------------

    def upload_jsonl(self, project: Project, rows: list[dict]) -> Any:
        """Upload rows (all with the same keys) and wait for the import task; raise on any error."""
        body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
        response = self._request("POST", "/v1/fp/process/", headers={"Accept": "*/*"},
                                 files={"filepond": ("zhnews-upload.jsonl", body, "application/octet-stream")})
        upload_id = response.text.strip()
        task = self._json("POST", f"/v1/projects/{project.id}/upload",
                          json={"uploadIds": [upload_id], "task": "RelationExtraction", "format": "JSONL"})
        result = self.wait_task(task["task_id"], "import")
        errors = (result or {}).get("error") if isinstance(result, dict) else None
        if result is None or errors:
            raise DoccanoError(f"doccano import reported errors (the import may be half-finished): {errors or result}")
        return result

    def export_jsonl(self, project: Project) -> list[dict]:
        """All examples of a collaborative project as doccano exports them (``all.jsonl``)."""
        task = self._json("POST", f"/v1/projects/{project.id}/download", json={"format": "JSONL", "exportApproved": False})
        self.wait_task(task["task_id"], "export")
        response = self._request("GET", f"/v1/projects/{project.id}/download", params={"taskId": task["task_id"]},
                                 headers={"Accept": "*/*"})
        try:
            archive = zipfile.ZipFile(io.BytesIO(response.content))
        except zipfile.BadZipFile:
            raise DoccanoError(f"doccano export of project {project.name!r} is not a zip file") from None
        names = archive.namelist()
        if names != ["all.jsonl"]:
            raise DoccanoError(
                f"doccano export of project {project.name!r} has {names}, not all.jsonl: "
                "the project must be collaborative (created by `zhnews doccano push`)"
            )
        text = archive.read("all.jsonl").decode("utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]
