"""``zhnews serve``: the pipeline behind an HTTP API, and a page to try it on new text.

FastAPI on uvicorn (the optional extra ``zhnews[serve]``). Each worker process loads the
pipeline once, at start-up; ``/healthz`` answers 200 only once it is loaded. The API returns
exactly what ``zhnews run`` writes (``run.process_documents``: same records, same offsets)
and the facts table's rows (``io.facts``).

Bad input never takes the server down: a body over the size limit or too many documents is
413, malformed JSON or wrong fields 422, a request that runs past the time limit 504, and a
document that fails inside the pipeline gets its error record in a 200 answer. Requests are
logged with their size, never with their text, unless ``--log-text`` asks for it.

Settings come from the environment (``ZHNEWS_SERVE_*``), so that every uvicorn worker
process builds the same app: ``zhnews serve`` sets them from its options.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .io.facts import facts_from_record
from .io.read import Document
from .run import DEFAULT_MAX_CHARS, process_documents

log = logging.getLogger("zhnews.serve")
PAGE = Path(__file__).with_name("serve_page.html")


@dataclass(frozen=True)
class ServeSettings:
    model: Optional[str] = None
    max_body_bytes: int = 2 * 1024 * 1024
    max_documents: int = 64
    timeout_s: float = 60.0
    max_chars: int = DEFAULT_MAX_CHARS
    log_text: bool = False

    @classmethod
    def from_env(cls) -> "ServeSettings":
        env = os.environ
        return cls(model=env.get("ZHNEWS_SERVE_MODEL") or None,
                   max_body_bytes=int(env.get("ZHNEWS_SERVE_MAX_BODY_BYTES", cls.max_body_bytes)),
                   max_documents=int(env.get("ZHNEWS_SERVE_MAX_DOCUMENTS", cls.max_documents)),
                   timeout_s=float(env.get("ZHNEWS_SERVE_TIMEOUT", cls.timeout_s)),
                   max_chars=int(env.get("ZHNEWS_SERVE_MAX_CHARS", cls.max_chars)),
                   log_text=env.get("ZHNEWS_SERVE_LOG_TEXT", "") == "1")

    def to_env(self) -> dict[str, str]:
        return {"ZHNEWS_SERVE_MODEL": self.model or "", "ZHNEWS_SERVE_MAX_BODY_BYTES": str(self.max_body_bytes),
                "ZHNEWS_SERVE_MAX_DOCUMENTS": str(self.max_documents), "ZHNEWS_SERVE_TIMEOUT": str(self.timeout_s),
                "ZHNEWS_SERVE_MAX_CHARS": str(self.max_chars), "ZHNEWS_SERVE_LOG_TEXT": "1" if self.log_text else ""}


class InputDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="Your identifier of the document; echoed in its record.")
    text: str = Field(description="The raw text, as it was published.")


class AnalyzeRequest(BaseModel):
    """Either one ``text`` or a list of ``documents``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "常州高新区实现地区生产总值1585.37亿元。"}]})
    text: Optional[str] = Field(None, description="One document's raw text (its record's id is \"text\").")
    documents: Optional[list[InputDocument]] = Field(None, description="Several documents, each {id, text}.")

    @model_validator(mode="after")
    def one_of(self) -> "AnalyzeRequest":
        if (self.text is None) == (self.documents is None):
            raise ValueError('give either "text" or "documents", not both and not neither')
        return self

    def to_documents(self) -> list[Document]:
        if self.text is not None:
            return [Document("text", "<request>", raw=self.text)]
        return [Document(d.id, "<request>", raw=d.text) for d in self.documents or []]


class TooLarge(Exception):
    def __init__(self, message: str):
        self.message = message


class Analyzer:
    """One pipeline per worker process; calls are serialized (a spaCy pipeline is not
    meant to be shared between threads) and run off the event loop."""

    def __init__(self, settings: ServeSettings):
        self.settings = settings
        self.nlp = None
        self.lock = threading.Lock()
        self.loaded_in: float | None = None

    def load(self) -> None:
        from .loader import load_pipeline

        started = time.perf_counter()
        self.nlp = load_pipeline(self.settings.model)
        self.loaded_in = time.perf_counter() - started

    def records(self, documents: list[Document]) -> list[dict[str, Any]]:
        with self.lock:
            return list(process_documents(documents, self.nlp, self.settings.max_chars))


def create_app(settings: ServeSettings | None = None, *, analyzer: Analyzer | None = None) -> FastAPI:
    settings = settings or ServeSettings.from_env()
    analyzer = analyzer or Analyzer(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if analyzer.nlp is None:
            await asyncio.to_thread(analyzer.load)
        log.info("pipeline loaded in %.1f s", analyzer.loaded_in or 0.0)
        yield

    app = FastAPI(title="zhnews", version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Chinese economic news → entities (ORG, MONEY, YEAR), relations and facts, "
                              "with offsets into the normalized and the raw text.")
    try:
        import swagger_ui_bundle

        app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")
        swagger = {"swagger_js_url": "/static/swagger/swagger-ui-bundle.js",
                   "swagger_css_url": "/static/swagger/swagger-ui.css", "swagger_favicon_url": "/static/swagger/favicon-32x32.png"}
    except ImportError:  # the docs page then needs a network: say so rather than break
        swagger = {}

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="zhnews API", **swagger)

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        problems = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in err.errors()]
        return JSONResponse(status_code=422, content={"error": "the request is not JSON of the documented shape",
                                                      "problems": problems})

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, err: TooLarge) -> JSONResponse:
        return _error(413, err.message)

    @app.get("/healthz", summary="200 once the pipeline is loaded, 503 before")
    async def healthz() -> JSONResponse:
        if analyzer.nlp is None:
            return JSONResponse(status_code=503, content={"status": "loading"})
        return JSONResponse({"status": "ok", "model": analyzer.nlp.meta.get("name"),
                             "version": analyzer.nlp.meta.get("version")})

    async def analyse(request: Request, body: AnalyzeRequest) -> list[dict[str, Any]]:
        if body.documents is not None and len(body.documents) > settings.max_documents:
            raise TooLarge(f"{len(body.documents)} documents are over the limit of {settings.max_documents} per request")
        documents = body.to_documents()
        chars = sum(len(d.raw or "") for d in documents)
        if settings.log_text:
            log.info("%s: %s", request.url.path, [d.raw for d in documents])
        started = time.perf_counter()
        try:
            records = await asyncio.wait_for(asyncio.to_thread(analyzer.records, documents), settings.timeout_s)
        except asyncio.TimeoutError:
            log.warning("%s: %d documents, %d chars: over the time limit", request.url.path, len(documents), chars)
            raise _Timeout() from None
        log.info("%s: %d documents, %d chars, %.2f s", request.url.path, len(documents), chars,
                 time.perf_counter() - started)
        return records

    @app.exception_handler(_Timeout)
    async def timeout(request: Request, err: "_Timeout") -> JSONResponse:
        return _error(504, f"the analysis took longer than the limit of {settings.timeout_s:g} s: send fewer or shorter documents")

    @app.post("/v1/analyze", summary="Records, as `zhnews run` writes them (a failed document: its error record)")
    async def analyze(request: Request, body: AnalyzeRequest) -> JSONResponse:
        return JSONResponse({"records": await analyse(request, body)})

    @app.post("/v1/facts", summary="Facts table rows (one per relation), as `zhnews run --facts` writes them")
    async def facts(request: Request, body: AnalyzeRequest) -> JSONResponse:
        records = await analyse(request, body)
        rows = [row for record in records for row in facts_from_record(record)]
        errors = [{"id": r["id"], "error": r["error"]} for r in records if "error" in r]
        return JSONResponse({"facts": rows, "errors": errors})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    return app


class _Timeout(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes is 413, whether it announces its
    length (refused before it is read) or arrives in chunks (stopped once it passes the limit;
    a body within the limit is handed on whole)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > self.limit:
            response = _error(413, f"body of {int(length):,} bytes is over the limit of {self.limit:,}")
            return await response(scope, receive, send)
        body, more = b"", True
        while more:  # read the body here, so that a chunked one is measured as it arrives
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                response = _error(413, f"body is over the limit of {self.limit:,} bytes")
                return await response(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message})


def app_factory() -> FastAPI:
    """For uvicorn's ``--factory`` in each worker process (settings from the environment)."""
    return create_app(ServeSettings.from_env())
