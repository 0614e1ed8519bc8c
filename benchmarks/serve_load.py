"""A bounded load test of `zhnews serve` on loopback: N requests, C at a time, latency percentiles.

    python benchmarks/serve_load.py [--requests 400] [--concurrency 8] [--url http://127.0.0.1:PORT]
                                    [--json out.json]

Without --url it starts `zhnews serve` on a free loopback port (one worker), waits for
/healthz, sends the seed paragraphs (cycled) to POST /v1/analyze, and stops the server. Prints
the count of errors (any answer but 200, or a transport error) and p50/p95/max latency.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def paragraphs() -> list[str]:
    texts = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        texts += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 30]
    return texts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, timeout: float = 120) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "zhnews.cli", "serve", "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("server not healthy in time")


def load(url: str, n: int, concurrency: int) -> dict:
    texts = paragraphs()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def worker() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            body = json.dumps({"text": texts[i % len(texts)]}).encode("utf-8")
            request = urllib.request.Request(f"{url}/v1/analyze", data=body, headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    payload = json.load(response)
                    ok = response.status == 200 and "error" not in payload["records"][0]
            except Exception as err:  # noqa: BLE001 (every failure is counted)
                ok, payload = False, str(err)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(str(payload)[:200])

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    pct = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"requests": n, "concurrency": concurrency, "errors": len(errors), "error_samples": errors[:3],
            "seconds": round(wall, 2), "requests_per_s": round(n / wall, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(pct(0.95) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--url", default=None, help="a running server (default: start one)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        port = free_port()
        server = start_server(port)
        url = f"http://127.0.0.1:{port}"
    try:
        result = load(url, args.requests, args.concurrency)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    print(f"{result['requests']} requests, {result['concurrency']} concurrent: {result['errors']} errors, "
          f"{result['requests_per_s']} req/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
