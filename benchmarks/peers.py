"""What a spaCy user would run instead of zhnews, built for the throughput benchmark.

``zh_core_web_sm`` cannot be installed here (no network to its release), so the peer is a
pipeline of its shape: the same pkuseg segmenter as zhnews at word granularity, then
tok2vec + tagger + parser + ner from spaCy's own ``init config --optimize efficiency``
(the architecture the sm packages are trained with), initialized with sm-like label
counts (33 tags, 40 dependency labels, 18 entity types). Its weights are random: speed
does not depend on them, only on the architecture and the label counts.

    python benchmarks/peers.py build DIR     # write the peer pipeline to DIR (spacy.load-able)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_TAGS, N_DEPS = 33, 40
ENTITY_TYPES = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
                "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL")


def build_sm_shaped(model: str | Path | None = None):
    """The sm-shaped peer pipeline (an ``nlp`` object), segmenter taken from the zhnews model."""
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    from zhnews import components  # noqa: F401  (registers the zhnews tokenizer)
    from zhnews.segment.tokenizer import TOKENIZER_NAME
    from zhnews.training.pkuseg_build import pkuseg_model_path

    config = init_config(lang="zh", pipeline=["tagger", "parser", "ner"], optimize="efficiency", gpu=False)
    config["nlp"]["tokenizer"] = {"@tokenizers": TOKENIZER_NAME, "segmenter": "pkuseg", "granularity": "word"}
    # keep every dependency label of the synthetic examples (by default rarer ones become "dep")
    config["components"]["parser"]["min_action_freq"] = 1
    config["initialize"]["tokenizer"] = {"pkuseg_model": str(pkuseg_model_path(Path(model) if model else None))}
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)

    tags = [f"T{i}" for i in range(N_TAGS)]
    deps = [f"d{i}" for i in range(N_DEPS - 2)]  # + ROOT and the parser's own "dep"
    n = max(N_TAGS, N_DEPS + 1, 2 * len(ENTITY_TYPES)) + 1

    def examples():
        words = [f"词{i}" for i in range(n)]
        doc = Doc(nlp.vocab, words=words)
        # a chain (each word's head is the next one), the last word the root: every label used once
        heads = list(range(1, n)) + [n - 1]
        ref = Doc(nlp.vocab, words=words, tags=[tags[i % N_TAGS] for i in range(n)], heads=heads,
                  deps=[deps[i % len(deps)] for i in range(n - 1)] + ["ROOT"])
        ref.ents = [Span(ref, 2 * i, 2 * i + 1, label=label) for i, label in enumerate(ENTITY_TYPES)]
        return [Example(doc, ref)]

    nlp.initialize(examples)
    return nlp


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] != "build":
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    nlp = build_sm_shaped()
    nlp.to_disk(sys.argv[2])
    print(f"{sys.argv[2]}: {nlp.pipe_names}, tags {len(nlp.get_pipe('tagger').labels)}, "
          f"deps {len(nlp.get_pipe('parser').labels)}, entity types {len(nlp.get_pipe('ner').labels)}")


if __name__ == "__main__":
    main()
