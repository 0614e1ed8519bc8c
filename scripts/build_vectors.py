#!/usr/bin/env python
"""Static character vectors from unlabeled real news, for the NER's tok2vec (issue #21).

    python scripts/build_vectors.py --corpora ../shared/corpora --out ~/.cache/zhnews/vectors-char
    ZHNEWS_CORPORA=../shared/corpora .venv/bin/zhnews train --news-gold annotations/news/gold \\
        --vectors ~/.cache/zhnews/vectors-char

Build time only. The NER reads one token per character, so the vectors are per character:
positive pointwise mutual information of characters within ``--window`` of each other
(weighted 1/distance, context distribution smoothed by 0.75), reduced by a truncated SVD
(Levy, Goldberg & Dagan 2015: on corpora of this size as good as word2vec, and exact and
reproducible without another dependency). The output is a blank spaCy ``zh`` pipeline holding
the vectors, the form ``[initialize] vectors`` loads; training copies the table into the
trained pipeline, so nothing here is needed at run time.

What keeps the evaluation honest (the same as scripts/build_silver.py):
* the text is the news corpus's paragraphs, normalized as the pipeline normalizes, with every
  paragraph that shares a 13-character run with a document of the news gold or the seed gold
  left out: dev and test text is never seen, not even unlabeled;
* ``../shared/heldout/overlap.py`` is run over the text used (written beside the vectors as
  ``text.jsonl``) and the build fails if it reports an overlap.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import build_silver  # noqa: E402
from zhnews.train import replace_directory  # noqa: E402


def cooccurrence(texts: list[str], vocab: dict[str, int], window: int):
    """Symmetric character co-occurrence counts, weighted 1/distance, within a paragraph."""
    import numpy as np
    from scipy import sparse

    n = len(vocab)
    pad = [-1] * window
    ids = []
    for text in texts:
        ids.extend(vocab.get(ch, -1) for ch in text)
        ids.extend(pad)  # no pair crosses a paragraph
    ids = np.asarray(ids, dtype=np.int64)
    matrix = sparse.csr_matrix((n, n), dtype=np.float64)
    for distance in range(1, window + 1):
        left, right = ids[:-distance], ids[distance:]
        keep = (left >= 0) & (right >= 0)
        weights = np.full(int(keep.sum()), 1.0 / distance)
        pairs = sparse.coo_matrix((weights, (left[keep], right[keep])), shape=(n, n)).tocsr()
        matrix = matrix + pairs + pairs.T
    return matrix


def ppmi_svd(matrix, dims: int, seed: int, smoothing: float = 0.75):
    """Rows of U·sqrt(S) of the PPMI matrix's truncated SVD, unit length."""
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import svds

    coo = matrix.tocoo()
    total = coo.data.sum()
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    context = np.power(np.asarray(matrix.sum(axis=0)).ravel(), smoothing)
    context /= context.sum()
    pmi = np.log(coo.data / total) - np.log(row_sums[coo.row] / total) - np.log(context[coo.col])
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape)
    start = np.random.default_rng(seed).standard_normal(min(ppmi.shape))
    u, s, _ = svds(ppmi, k=dims, v0=start)
    order = np.argsort(-s)
    vectors = u[:, order] * np.sqrt(s[order])
    # an SVD's signs are arbitrary: fix each column's so the build is byte-reproducible
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(dims)])
    vectors *= signs
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype("float32")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, required=True, help="the public corpora folder (its news/ is read)")
    parser.add_argument("--out", type=Path, default=Path.home() / ".cache" / "zhnews" / "vectors-char",
                        help="where to write the vectors pipeline (replaced; keep it outside the repository)")
    parser.add_argument("--dims", type=int, default=64, help="vector width (default 64)")
    parser.add_argument("--window", type=int, default=3, help="characters either side counted as context (default 3)")
    parser.add_argument("--min-count", type=int, default=5, help="characters seen fewer times get no vector (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heldout", type=Path, default=ROOT.parent / "shared" / "heldout" / "overlap.py",
                        help="the maintainers' overlap checker, run over the text used")
    args = parser.parse_args(argv)

    import numpy as np
    import spacy
    from spacy.vectors import Vectors

    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    if not (args.corpora / "news").is_dir():
        parser.error(f"{args.corpora / 'news'} does not exist")
    if not args.heldout.is_file():
        parser.error(f"{args.heldout} does not exist: the text's overlap with the held-out set cannot be checked")
    build_silver.MAX_CHARS = 10**9  # long paragraphs are good context here; silver keeps them short to tag
    rows = build_silver.paragraphs(args.corpora, build_silver.gold_shingles(), log)
    texts = [row["text"] for row in rows]
    log(f"{len(texts)} paragraphs, {sum(map(len, texts)):,} characters")

    staging = args.out.parent / f".{args.out.name}.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with (staging / "text.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    check = subprocess.run([sys.executable, str(args.heldout), str(staging / "text.jsonl")], capture_output=True, text=True)
    if check.returncode != 0:
        print(check.stdout[-3000:], check.stderr[-3000:], file=sys.stderr)
        log("overlap.py reports text shared with the held-out set: nothing written")
        return 1
    log("overlap.py: no overlap with the held-out set")

    counts = Counter(ch for text in texts for ch in text if not ch.isspace())
    chars = sorted((ch for ch, n in counts.items() if n >= args.min_count), key=lambda ch: (-counts[ch], ch))
    vocab = {ch: i for i, ch in enumerate(chars)}
    log(f"{len(chars)} characters seen at least {args.min_count} times")
    matrix = cooccurrence(texts, vocab, args.window)
    log(f"co-occurrence: {matrix.nnz:,} pairs")
    vectors = ppmi_svd(matrix, args.dims, args.seed)
    log(f"vectors: {vectors.shape}")

    nlp = spacy.blank("zh")
    for ch in chars:
        nlp.vocab.strings.add(ch)
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=np.ascontiguousarray(vectors), keys=chars)
    nlp.to_disk(staging / "pipeline")
    digest = hashlib.sha256(vectors.tobytes() + "\n".join(chars).encode("utf-8")).hexdigest()
    (staging / "build.json").write_text(json.dumps({
        "dims": args.dims, "window": args.window, "min_count": args.min_count, "seed": args.seed,
        "paragraphs": len(texts), "characters": sum(map(len, texts)), "rows": len(chars),
        "vectors_sha256": digest}, indent=2) + "\n", encoding="utf-8")
    replace_directory(staging, args.out)  # the old vectors stay until the new ones are complete
    log(f"written to {args.out / 'pipeline'} (vectors sha256 {digest[:16]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
