#!/usr/bin/env python
"""Pretrain the NER's tok2vec on unlabeled real news (issue #21 item 1), for ``zhnews train --init-tok2vec``.

    python scripts/pretrain_tok2vec.py --text ~/.cache/zhnews/vectors-char/text.jsonl \\
        --vectors ~/.cache/zhnews/vectors-char --out ~/.cache/zhnews/tok2vec-pretrained.bin \\
        [--max-steps 2400] [--seed 0]

Build time only. A masked-character objective in the manner of ``spacy pretrain``'s vectors
objective: 15 % of the characters of each paragraph are hidden (80 % replaced by a mask token,
10 % by a random character, 10 % kept) and the tok2vec, followed by a small output layer, learns
to predict each hidden character's static vector (cosine distance). ``spacy pretrain`` itself
cannot be used as it is: its masking rebuilds every doc from its words alone, which drops the
features this tok2vec reads besides the character (the pkuseg word and the character's position
in it, the name-list features of ``zhnews_lexicon``), so it would pretrain embedding rows that
training never looks up. Here the masked doc keeps them, with the pkuseg word of every masked
character hidden too (it would give the character away).

The text is ``scripts/build_vectors.py``'s ``text.jsonl`` (news paragraphs sharing no
13-character run with any document of the news gold or the seed gold; ``overlap.py`` is run on
it there), tokenized by the committed pipeline's tokenizer and name lists (``--model``), the
same as training sees. The output is the tok2vec layer's weights (thinc ``to_bytes``), the file
``[initialize] init_tok2vec`` loads, with a JSON sidecar of the settings and the loss curve.
Deterministic for a seed and a number of steps (``--max-steps``): 2,400 steps took 25 minutes on
one core of the 2-core benchmark machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MASK = "[MASK]"


def read_paragraphs(path: Path, max_chars: int) -> list[str]:
    paragraphs, total = [], 0
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            text = json.loads(line)["text"]
            paragraphs.append(text)
            total += len(text)
            if max_chars and total >= max_chars:
                break
    return paragraphs


def masked_doc(doc, rng: random.Random, chars: list[str], rate: float = 0.15):
    """A copy of ``doc`` with some characters hidden; returns (doc, hidden token indices)."""
    from spacy.tokens import Doc

    from zhnews.segment.chars import word_spans

    n = len(doc)
    hidden = [i for i in range(n) if not doc[i].is_space and rng.random() < rate]
    if not hidden:
        return doc, []
    words = [t.text for t in doc]
    tags = [t.tag_ for t in doc]
    lemmas = [t.lemma_ for t in doc]
    morphs = [str(t.morph) for t in doc]
    word_of = {}
    for a, b in word_spans(doc):  # character offsets: the pkuseg words as token ranges
        word = doc.char_span(a, b)
        for i in range(word.start, word.end):
            word_of[i] = (word.start, word.end)
    for i in hidden:
        roll = rng.random()
        if roll < 0.8:
            words[i] = MASK
        elif roll < 0.9:
            words[i] = rng.choice(chars)
        start, end = word_of.get(i, (i, i + 1))
        for j in range(start, end):
            lemmas[j] = MASK
    copy = Doc(doc.vocab, words=words, spaces=[False] * n, tags=tags, lemmas=lemmas,
               morphs=[m if m else None for m in morphs])
    return copy, hidden


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text", type=Path, required=True, help="text.jsonl of scripts/build_vectors.py")
    parser.add_argument("--vectors", type=Path, required=True, help="the static vectors (build_vectors.py --out)")
    parser.add_argument("--out", type=Path, required=True, help="the tok2vec weights file to write")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "zhnews-zh",
                        help="pipeline whose tokenizer and name lists make the features (default: the committed one)")
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "config.cfg")
    parser.add_argument("--max-chars", type=int, default=0, help="read at most this many characters (0 = all)")
    parser.add_argument("--max-steps", type=int, default=2400,
                        help="updates of --batch-chars characters each (default 2400: 1.3 passes over 5.7 M characters)")
    parser.add_argument("--minutes", type=float, default=None,
                        help="also stop after this long (then the result depends on the machine's speed)")
    parser.add_argument("--batch-chars", type=int, default=3000)
    parser.add_argument("--learn-rate", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import numpy as np
    import spacy
    from spacy.util import fix_random_seed, load_config, registry
    from thinc.api import Adam, CosineDistance, LayerNorm, Linear, Maxout, chain, list2array

    import zhnews.components  # noqa: F401  (registers the pipeline's factories)
    from zhnews.train import vectors_pipeline, vectors_sha256

    started = time.perf_counter()
    fix_random_seed(args.seed)
    rng = random.Random(args.seed)
    nlp = spacy.load(args.model, exclude=["ner", "zhnews_money_year", "zhnews_org_consistency",
                                          "zhnews_entity_confidence", "relation_extractor", "tok2vec"])
    vectors = spacy.load(vectors_pipeline(args.vectors)).vocab.vectors
    nlp.vocab.vectors = vectors
    lexicon = nlp.get_pipe("zhnews_lexicon")
    config = load_config(args.config, interpolate=True)
    model_config = dict(config["components"]["tok2vec"]["model"])
    model_config["embed"] = dict(model_config["embed"], include_static_vectors=True)
    tok2vec = registry.resolve({"model": model_config})["model"]
    width = model_config["encode"]["width"]
    dims = vectors.shape[1]
    model = chain(tok2vec, list2array(), Maxout(nO=width * 2, nI=width, nP=3, dropout=0.0), LayerNorm(width * 2), Linear(nO=dims))
    distance = CosineDistance(normalize=True, ignore_zeros=True)

    paragraphs = read_paragraphs(args.text, args.max_chars)
    rng.shuffle(paragraphs)
    chars = sorted({c for p in paragraphs[:2000] for c in p if not c.isspace()})
    print(f"{len(paragraphs)} paragraphs, {sum(map(len, paragraphs)):,} characters", file=sys.stderr)

    def docs_of(texts):
        return [lexicon(nlp.make_doc(t)) for t in texts]

    def batches():
        epoch = 0
        while True:
            batch, size = [], 0
            for text in paragraphs:
                batch.append(text)
                size += len(text)
                if size >= args.batch_chars:
                    yield epoch, batch
                    batch, size = [], 0
            epoch += 1
            rng.shuffle(paragraphs)

    stream = batches()
    first = docs_of(next(stream)[1])
    model.initialize(X=first, Y=model.ops.alloc2f(sum(len(d) for d in first), dims))
    optimizer = Adam(args.learn_rate)
    key2row = vectors.key2row
    table = vectors.data
    curve, step, seen, loss_sum = [], 0, 0, 0.0
    epoch = 0
    while step < args.max_steps and (args.minutes is None or time.perf_counter() - started < args.minutes * 60):
        epoch, texts = next(stream)
        docs = docs_of(texts)
        pairs = [masked_doc(doc, rng, chars) for doc in docs]
        rows, offset = [], 0
        for doc, (_, hidden) in zip(docs, pairs):
            rows.extend(offset + i for i in hidden)
            offset += len(doc)
        if not rows:
            continue
        target = np.zeros((offset, dims), dtype="f")
        keep = np.zeros((offset, 1), dtype="f")
        position = 0
        for doc in docs:
            for token in doc:
                row = key2row.get(token.orth, -1)
                if row >= 0:
                    target[position] = table[row]
                position += 1
        keep[rows] = 1.0
        predicted, backprop = model.begin_update([masked for masked, _ in pairs])
        gradient, loss = distance(predicted * keep, target * keep)
        backprop(gradient * keep)
        model.finish_update(optimizer)
        step += 1
        seen += len(rows)
        loss_sum += float(loss)
        if step % 100 == 0:
            elapsed = time.perf_counter() - started
            curve.append({"step": step, "epoch": epoch, "loss": round(loss_sum / 100, 4), "seconds": round(elapsed)})
            print(f"step {step} epoch {epoch} loss {loss_sum / 100:.4f} hidden chars {seen:,} {elapsed:.0f} s",
                  file=sys.stderr)
            loss_sum = 0.0
    data = tok2vec.to_bytes()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(args.out)
    info = {"steps": step, "epochs": epoch, "hidden_chars": seen, "seconds": round(time.perf_counter() - started),
            "seed": args.seed, "batch_chars": args.batch_chars, "learn_rate": args.learn_rate,
            "paragraphs": len(paragraphs), "vectors_sha256": vectors_sha256(args.vectors),
            "sha256": hashlib.sha256(data).hexdigest(), "curve": curve}
    args.out.with_suffix(".json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(data):,} bytes) after {step} steps", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
