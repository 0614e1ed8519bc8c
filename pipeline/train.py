"""``zhnews train``: gold (+ optional public corpora) → a trained pipeline directory.

Steps, each reproducible from the committed ``configs/config.cfg``:

1. read the gold (validated first: bad gold never trains a model silently) and,
   if a corpora path is given, the public corpora, mapped to our ORG conventions;
2. write ``train.spacy``/``dev.spacy`` (split by document: a held-out document
   never appears in training) and the name lists for ``zhnews_lexicon``;
3. train with spaCy's own training loop (``spacy.training.loop``);
4. record in the model's ``meta.json`` the config's sha256, the gold manifest,
   the corpora and the held-out documents, so a model can be traced to its inputs.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import srsly

from .gold.format import GoldExample, load_gold
from .gold.manifest import compute_manifest
from .gold.validate import validate_examples
from .loader import REPO_ROOT, write_manifest

DEFAULT_CONFIG = REPO_ROOT / "configs" / "config.cfg"
#: Corpora used by default when a corpora path is given (see ``training/corpora.py``).
DEFAULT_CORPORA = ("cluener", "msra", "peoples_daily", "resume", "finre")
#: In-genre training data written for the project (annotations/synthetic/README.md): never evaluated on.
DEFAULT_TRAIN_ONLY = sorted(REPO_ROOT.glob("annotations/synthetic/*/gold"))
#: The relation classifier learns from the seed gold and the news gold's train split only: on
#: the news dev split, adding the synthetic sets s1-s4 lowered relation F1 end to end from .591
#: to .557 (all eight: .534); `--relation-train-only` adds them back for an experiment.
DEFAULT_RELATION_TRAIN_ONLY: list[Path] = []


class GoldInvalidError(ValueError):
    pass


#: the components fitted after the NER
CONFIDENCE = "zhnews_entity_confidence"
RELATIONS = "relation_extractor"


@dataclass
class TrainSettings:
    gold: Path
    output: Path
    config: Path = DEFAULT_CONFIG
    corpora_dir: Path | None = None
    corpora: tuple[str, ...] = DEFAULT_CORPORA
    corpus_limit: int = 3000  # sentences per corpus (a random sample), 0 = all
    holdout: tuple[str, ...] = ()  # gold doc_ids kept out of training
    #: more gold used for training only, never evaluated (e.g. annotations/synthetic/*/gold)
    train_only: tuple[Path, ...] = tuple(DEFAULT_TRAIN_ONLY)
    #: training-only gold for the relation classifier
    relation_train_only: tuple[Path, ...] = tuple(DEFAULT_RELATION_TRAIN_ONLY)
    gold_repeat: int = 12  # the in-genre gold is tiny next to the corpora: show it more often
    #: the news gold (annotations/news/gold): its train split joins the training data, its
    #: dev split is what spaCy's loop scores (test is never read here)
    news_gold: Path | None = None
    news_repeat: int = 3
    max_steps: int | None = None
    seed: int = 0
    #: the gazetteers folder: registry name lists as NER features (zhnews.ner.registries)
    gazetteers_dir: Path | None = None
    #: registry families used (None: all of configs/registries.json)
    registries: tuple[str, ...] | None = None
    #: silver ORG data (scripts/build_silver.py): in the training data once, never repeated
    silver: Path | None = None
    #: silver relations (scripts/build_silver_relations.py): the relation classifier trains on them
    #: beside the gold; its cross-validation scores gold only
    relation_silver: Path | None = None
    #: static character vectors (scripts/build_vectors.py): the tok2vec's embedding adds them
    vectors: Path | None = None
    #: tok2vec weights pretrained on unlabeled news (scripts/pretrain_tok2vec.py), loaded before
    #: the loop as ``[initialize] init_tok2vec``; needs the same ``vectors`` it was pretrained with
    init_tok2vec: Path | None = None
    #: relation thresholds per type where cross-validation on the training gold prefers them. Off:
    #: on the news dev split they lowered relations end to end .609 -> .600 (given gold .677 -> .663)
    per_type_thresholds: bool = False
    #: pipeline whose tokenizer provides the pkuseg model (default: models/zhnews-zh)
    segmenter_from: Path | None = None
    #: pipeline whose relation classifier is kept instead of fitting one (``adopt_relations``)
    relations_from: Path | None = None
    overrides: dict = field(default_factory=dict)


def config_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: components without trained weights: changing their settings changes no trained weight
POST_PROCESSING = ("zhnews_org_consistency",)


def training_config_sha256(path: Path) -> str:
    """sha256 of the config without the post-processing components' settings.

    Two pipelines trained from configs with the same training hash have the same
    weights (training is deterministic for a seed); only their post-processing
    differs, which can be rebuilt from the config (``evaluate --reuse-folds``).
    """
    from thinc.api import Config

    config = Config().from_str(path.read_text(encoding="utf-8"), interpolate=False)
    for name in POST_PROCESSING:
        config["components"].pop(name, None)
    return hashlib.sha256(config.to_str().encode("utf-8")).hexdigest()


def training_record(settings: "TrainSettings") -> dict:
    """What a trained pipeline's weights depend on besides code, as recorded in its ``meta.json``.

    ``evaluate --reuse-folds`` compares it (without ``config_sha256``: post-processing
    settings may differ) to decide whether a kept fold is the one a new run would train.
    """
    gold_manifest = compute_manifest(settings.gold) if settings.gold.is_dir() else {}
    return {
        "config_sha256": config_sha256(settings.config),
        "training_config_sha256": training_config_sha256(settings.config),
        "gold_sha256": gold_manifest.get("gold_sha256"),
        "holdout": sorted(settings.holdout),
        "corpora": list(settings.corpora) if settings.corpora_dir else [],
        "train_only": [repo_relative(p) for p in settings.train_only],
        "relation_train_only": [repo_relative(p) for p in settings.relation_train_only],
        "corpus_limit": settings.corpus_limit,
        "gold_repeat": settings.gold_repeat,
        "seed": settings.seed,
        "max_steps": settings.max_steps,
        # only when used, so that pipelines trained without the news gold keep their record
        **({"news_gold_sha256": compute_manifest(settings.news_gold)["gold_sha256"],
            "news_repeat": settings.news_repeat} if settings.news_gold else {}),
        **({"registries": _registries(settings).sources} if settings.gazetteers_dir else {}),
        **({"silver_sha256": hashlib.sha256(settings.silver.read_bytes()).hexdigest()} if settings.silver else {}),
        **({"relation_silver_sha256": hashlib.sha256(settings.relation_silver.read_bytes()).hexdigest()}
           if settings.relation_silver else {}),
        **({"vectors_sha256": vectors_sha256(settings.vectors)} if settings.vectors else {}),
        **({"init_tok2vec_sha256": hashlib.sha256(settings.init_tok2vec.read_bytes()).hexdigest()}
           if settings.init_tok2vec else {}),
        **({"segmenter_sha256": hashlib.sha256(segmenter_weights(settings.segmenter_from).read_bytes()).hexdigest()}
           if settings.segmenter_from else {}),
    }


def segmenter_weights(pipeline_dir: Path) -> Path:
    """The pkuseg weights of ``pipeline_dir``'s tokenizer, which ``--segmenter-from`` trains with.

    Named explicitly, a pipeline without them is an error: falling back to the default segmenter
    would train a different model than the one asked for and say nothing.
    """
    from .training.pkuseg_build import pipeline_pkuseg_weights

    weights = pipeline_pkuseg_weights(pipeline_dir)
    if not weights.is_file():
        raise FileNotFoundError(f"{pipeline_dir} has no pkuseg segmenter ({weights.relative_to(pipeline_dir)} is missing): "
                                "--segmenter-from takes a zhnews pipeline, trained or from scripts/build_segmenter.py")
    return weights


def check_init_tok2vec(settings: "TrainSettings") -> None:
    """The pretrained weights exist and were pretrained with the static vectors this training adds
    (their shapes would differ, or the same shapes would read other vectors)."""
    path = settings.init_tok2vec
    if not path.is_file():
        raise FileNotFoundError(f"no pretrained tok2vec at {path} (scripts/pretrain_tok2vec.py writes it)")
    if settings.vectors is None:
        raise ValueError("--init-tok2vec needs --vectors: the tok2vec was pretrained with static vectors")
    sidecar = path.with_suffix(".json")
    if sidecar.is_file():
        wanted = srsly.read_json(sidecar).get("vectors_sha256")
        if wanted and wanted != vectors_sha256(settings.vectors):
            raise ValueError(f"{path} was pretrained with other vectors (sha256 {wanted[:16]}) than {settings.vectors}")


def pretraining_section(component: str = "tok2vec") -> dict:
    """spaCy's default [pretraining] block, naming the layer ``init_tok2vec`` loads into: spaCy
    loads pretrained weights only when the block is filled."""
    from spacy.util import get_package_path, load_config

    defaults = load_config(get_package_path("spacy") / "default_config_pretraining.cfg", interpolate=False)
    return dict(defaults["pretraining"], component=component, layer="")


def vectors_pipeline(path: Path) -> Path:
    """The spaCy pipeline holding the vectors: ``path`` itself or its ``pipeline/`` (as
    scripts/build_vectors.py writes it)."""
    for candidate in (path / "pipeline", path):
        if (candidate / "vocab" / "vectors").exists():
            return candidate
    raise FileNotFoundError(f"no spaCy vectors at {path} (expected {path}/pipeline/vocab/vectors; build them with scripts/build_vectors.py)")


def vectors_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for name in ("vectors", "key2row", "strings.json"):
        part = vectors_pipeline(path) / "vocab" / name
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


def _registries(settings: TrainSettings):
    from .ner.registries import read_registries

    return read_registries(settings.gazetteers_dir, settings.registries)


def load_valid_gold(path: Path, root: Path | None = None) -> list[GoldExample]:
    examples = load_gold(path)
    problems = validate_examples(examples, root=root or Path.cwd())
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:20])
        raise GoldInvalidError(f"{len(problems)} problem(s) in the gold at {path}; fix them first:\n{listed}")
    return examples


def news_split(settings: TrainSettings, split: str) -> list[GoldExample]:
    """A split of the news gold, validated (never ``test``: it is for reporting only)."""
    if settings.news_gold is None:
        return []
    if split == "test":
        raise ValueError("the test split is for reporting only: it never trains or tunes a model")
    from .gold.splits import load_split

    examples = load_split(settings.news_gold, split)
    problems = validate_examples(examples, check_text=False)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:20])
        raise GoldInvalidError(f"{len(problems)} problem(s) in the news gold at {settings.news_gold}; fix them first:\n{listed}")
    return examples


def prepare_data(settings: TrainSettings, workdir: Path, log=print) -> dict:
    """Write train/dev DocBins and the name lists into ``workdir``; return counts."""
    from .training.corpora import collect_names, read_corpus
    from .training.ner_docs import corpus_doc, gold_doc, silver_doc, write_docbin

    examples = load_valid_gold(settings.gold, root=REPO_ROOT if not settings.gold.is_absolute() else None)
    held = set(settings.holdout)
    unknown = held - {e.doc_id for e in examples}
    if unknown:
        raise ValueError(f"held-out documents not in the gold: {', '.join(sorted(unknown))}")
    train_gold = [e for e in examples if e.doc_id not in held]
    dev_gold = [e for e in examples if e.doc_id in held] or train_gold[: max(1, len(train_gold) // 10)]
    news_train = news_split(settings, "train")
    if news_train:
        dev_gold = [e for e in news_split(settings, "dev") if e.doc_id not in held] or dev_gold
        log(f"news gold: {len(news_train)} train examples (x{settings.news_repeat}), {len(dev_gold)} dev examples scored")

    extra = [e for path in settings.train_only for e in load_valid_gold(path, root=REPO_ROOT)]
    if extra:
        log(f"training-only gold: {len(extra)} examples from {len(settings.train_only)} path(s)")
    sentences = []
    if settings.corpora_dir:
        for name in settings.corpora:
            loaded = list(read_corpus(name, settings.corpora_dir))
            if settings.corpus_limit:
                random.Random(settings.seed).shuffle(loaded)
                loaded = loaded[: settings.corpus_limit]
            log(f"corpus {name}: {len(loaded)} sentences, {sum(len(s.orgs) for s in loaded)} ORG")
            sentences.extend(loaded)
    names = collect_names(sentences) if sentences else {"org": [], "place": []}
    if settings.gazetteers_dir:
        registries = _registries(settings)
        names["registries"] = registries.names
        log(f"registry names (features): {registries.counts()}")
    srsly.write_msgpack(workdir / "names.msgpack", names)

    silver = load_valid_silver(settings.silver) if settings.silver else []
    if silver:
        log(f"silver: {len(silver)} paragraphs, {sum(len(e.entities) for e in silver)} ORG")
    train_docs = ([gold_doc(e) for e in train_gold + extra] * settings.gold_repeat
                  + [gold_doc(e) for e in news_train] * settings.news_repeat + [corpus_doc(s) for s in sentences]
                  + [silver_doc(e) for e in silver])
    random.Random(settings.seed).shuffle(train_docs)
    n_train = write_docbin(train_docs, workdir / "train.spacy")
    n_dev = write_docbin((gold_doc(e) for e in dev_gold), workdir / "dev.spacy")
    counts = {"train_docs": n_train, "dev_docs": n_dev, "gold_examples": len(train_gold), "train_only_examples": len(extra),
              "news_train_examples": len(news_train), "silver_examples": len(silver),
              "corpus_sentences": len(sentences), "org_names": len(names["org"]), "place_names": len(names["place"])}
    log(f"training data: {counts}")
    return counts


def train(settings: TrainSettings, log=print) -> Path:
    """Train a pipeline into ``settings.output`` and return that path."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop
    from spacy.util import load_config

    from . import components  # noqa: F401
    from .segment.tokenizer import memoized_segmentation
    from .training.pkuseg_build import pkuseg_model_path

    # the config is read once, now: what meta.json records is what trained, even if the file is
    # edited while the loop runs (a hash taken at the end once named an edit made mid-training);
    # a missing --segmenter-from fails here, before any file is touched
    record = training_record(settings)
    check_relations_from(settings)
    workdir = settings.output.parent / f".{settings.output.name}.work"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    started = time.perf_counter()
    config_copy = workdir / "config.cfg"
    shutil.copyfile(settings.config, config_copy)
    if config_sha256(config_copy) != record["config_sha256"]:
        raise RuntimeError(f"{settings.config} changed while training started: train again")
    if settings.init_tok2vec:
        check_init_tok2vec(settings)
    counts = prepare_data(settings, workdir, log)
    overrides = {
        "paths.train": str(workdir / "train.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
        "paths.names": str(workdir / "names.msgpack"),
        "paths.pkuseg_model": str(pkuseg_model_path(settings.segmenter_from)),
        "system.seed": settings.seed,
        **({"training.max_steps": settings.max_steps} if settings.max_steps else {}),
        **({"paths.vectors": str(vectors_pipeline(settings.vectors)),
            "components.tok2vec.model.embed.include_static_vectors": True} if settings.vectors else {}),
        **({"paths.init_tok2vec": str(settings.init_tok2vec)} if settings.init_tok2vec else {}),
        **settings.overrides,
    }
    config = load_config(config_copy, overrides=overrides, interpolate=False)
    if settings.init_tok2vec:
        config["pretraining"] = pretraining_section()
    (workdir / "checkpoints").mkdir()
    with memoized_segmentation():
        nlp = init_nlp(config)
        if RELATIONS in nlp.pipe_names:
            # spaCy's loop runs the relation extractor before it is fitted (below): expected here
            nlp.get_pipe(RELATIONS).allow_untrained = True
        train_loop(nlp, workdir / "checkpoints", stdout=_LogStream(log))
    trained = workdir / "checkpoints" / "model-last"
    if settings.relations_from is not None:
        relation_info = adopt_relations(settings.relations_from, trained, log)
    else:
        relation_info = _train_relations(trained, settings, log)
    confidence_info = _train_confidence(trained, settings, log)
    meta_path = trained / "meta.json"
    meta = srsly.read_json(meta_path)
    meta.update({
        "name": "zhnews-zh",
        "description": "zhnews: ORG (trained, character level), MONEY/YEAR (rules) and relations for Chinese economic news",
        "zhnews": {
            **record,
            "data": counts,
            "relations": relation_info,
            "entity_confidence": confidence_info,
            "train_seconds": round(time.perf_counter() - started, 1),
        },
    })
    srsly.write_json(meta_path, meta)
    portable_config(trained)
    write_manifest(trained)
    replace_directory(trained, settings.output)
    shutil.rmtree(workdir, ignore_errors=True)
    return settings.output


def portable_config(pipeline_dir: Path) -> None:
    """Empty the ``[paths]`` of a trained pipeline's config.cfg: they name the training machine's
    work files (``/tmp/...``), which loading never reads; ``meta.json`` keeps the sha256 of the
    vectors and pretrained weights that were used."""
    from spacy.util import load_config

    config = load_config(pipeline_dir / "config.cfg", interpolate=False)
    for key in list(config.get("paths", {})):
        config["paths"][key] = None
    config.to_disk(pipeline_dir / "config.cfg")


def replace_directory(new: Path, target: Path) -> None:
    """Move ``new`` (on the same file system) to ``target`` by renames, so that a failure
    before the end leaves ``target`` as it was; the old directory goes only once the new
    one is in place."""
    previous = target.parent / f".{target.name}.old"
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    new.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def refit_relations(settings: TrainSettings, log=print, *, relations: bool = True) -> Path:
    """Refit the parts fitted after the NER, in place: the relation classifier and the entity confidence.

    For new gold or a change to the relation or confidence features: the relation classifier
    learns from gold entities, not from the NER, so this gives the relation
    model a full training would, in about a minute instead of twenty; the NER
    weights stay as they are. The entity confidence is refitted on the pipeline's output on the
    news dev split (with ``news_gold``; a pipeline trained before the component existed gets it).
    ``meta.json`` records what they were fitted on. With ``relations=False`` only the entity
    confidence and the fact threshold are refitted (``refit_confidence``).
    """
    import spacy

    from . import components  # noqa: F401

    option = "--relations-only" if relations else "--confidence-only"
    if settings.segmenter_from is not None:
        raise ValueError(f"--segmenter-from retrains the NER: it cannot be combined with {option}")
    if relations and settings.relations_from is not None:
        raise ValueError("--relations-only fits a relation classifier and --relations-from keeps one: give one of the two")
    check_relations_from(settings)
    if not relations and settings.news_gold is None:
        raise ValueError("--confidence-only refits on the news gold's dev split: give --news-gold annotations/news/gold")
    meta_path = settings.output / "meta.json"
    if not meta_path.exists():
        raise FileNotFoundError(f"no trained pipeline at {settings.output} (train one first)")
    trained_with = srsly.read_json(meta_path).get("zhnews", {})
    if settings.news_gold is None and "news_gold_sha256" in trained_with:
        # refitting without it would silently drop the news relations and the entity confidence
        raise ValueError(f"the pipeline at {settings.output} was trained with the news gold (sha256 "
                         f"{trained_with['news_gold_sha256'][:12]}…): give --news-gold annotations/news/gold")
    load_valid_gold(settings.gold, root=REPO_ROOT if not settings.gold.is_absolute() else None)
    started = time.perf_counter()
    staging = settings.output.parent / f".{settings.output.name}.refit"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(settings.output, staging)
    info = _train_relations(staging, settings, log) if relations else None
    adopted = adopt_relations(settings.relations_from, staging, log) if settings.relations_from is not None else None
    confidence_info = _train_confidence(staging, settings, log)
    meta_path = staging / "meta.json"
    meta = srsly.read_json(meta_path)
    record = training_record(settings)
    kept = ("gold_sha256", "holdout", "relation_train_only", "news_gold_sha256", "relation_silver_sha256")
    refitted_on = {**{key: record[key] for key in kept if key in record}, "seconds": round(time.perf_counter() - started, 1)}
    if info is not None:
        meta.setdefault("zhnews", {})["relations"] = {**info, "refitted_on": refitted_on}
    if adopted is not None:
        meta.setdefault("zhnews", {})["relations"] = adopted
    if confidence_info is not None:
        meta["zhnews"]["entity_confidence"] = {**confidence_info, "refitted_on": refitted_on}
        # a pipeline trained before the component existed has it now: meta.json says so too
        pipeline = list(spacy.util.load_config(staging / "config.cfg", interpolate=False)["nlp"]["pipeline"])
        meta["pipeline"] = meta["components"] = pipeline
    srsly.write_json(meta_path, meta)
    write_manifest(staging)
    replace_directory(staging, settings.output)
    return settings.output


def refit_confidence(settings: TrainSettings, log=print) -> Path:
    """Refit only the entity confidence and the relation extractor's fact threshold, in place, on
    the pipeline's output on the news dev split: the NER and the relation classifier are kept."""
    return refit_relations(settings, log, relations=False)


#: the relation extractor's settings that belong to its classifier (fitted with it): kept with it
RELATION_CLASSIFIER_SETTINGS = ("threshold", "thresholds")


def relations_source(source: Path) -> tuple:
    """The config and ``meta.json`` relation record of a pipeline whose relation classifier is to be
    kept (``--relations-from``), after checking its files against its manifest: a bad source fails
    before any training, not after it."""
    import spacy

    from .loader import verify_model_files

    source = Path(source)
    if not (source / "config.cfg").is_file():
        raise FileNotFoundError(f"no zhnews pipeline at {source} (config.cfg missing): --relations-from names a trained one")
    verify_model_files(source)
    source_config = spacy.util.load_config(source / "config.cfg", interpolate=False)
    if RELATIONS not in source_config["nlp"]["pipeline"] or not (source / RELATIONS).is_dir():
        raise ValueError(f"{source} has no {RELATIONS} to keep (--relations-from names a trained zhnews pipeline)")
    record = srsly.read_json(source / "meta.json").get("zhnews", {}).get("relations")
    if not record:
        raise ValueError(f"{source}/meta.json does not say what its relation classifier was fitted on")
    return source_config, record


def check_relations_from(settings: TrainSettings) -> None:
    """Refuse ``--relations-from`` with options it would silently ignore, and a bad source, up front."""
    if settings.relations_from is None:
        return
    if settings.relation_silver is not None:
        raise ValueError("--relation-silver trains a relation classifier and --relations-from keeps one: give one of the two")
    relations_source(settings.relations_from)


def adopt_relations(source: Path, pipeline_dir: Path, log=print) -> dict:
    """Put the relation classifier of the pipeline at ``source`` into ``pipeline_dir``, in place of
    fitting one, and return its ``meta.json`` record with where it came from.

    For pairing a retrained NER with a relation classifier that dev preferred: the classifier learns
    from gold entities, never from the NER, so it carries over unchanged. The source's files are
    checked against its manifest first (again: a full training reads them after the loop) and its
    threshold(s) go into ``config.cfg`` with them; the entity confidence and the fact threshold,
    fitted next on the pipeline's dev output, load the result.
    """
    import spacy

    source = Path(source)
    source_config, record = relations_source(source)
    config = spacy.util.load_config(pipeline_dir / "config.cfg", interpolate=False)
    if RELATIONS not in config["nlp"]["pipeline"]:
        raise ValueError(f"the pipeline being trained has no {RELATIONS} to take {source}'s classifier")
    shutil.rmtree(pipeline_dir / RELATIONS, ignore_errors=True)
    shutil.copytree(source / RELATIONS, pipeline_dir / RELATIONS)
    for key in RELATION_CLASSIFIER_SETTINGS:
        if key in source_config["components"][RELATIONS]:
            config["components"][RELATIONS][key] = source_config["components"][RELATIONS][key]
        else:  # the factory's default, as in the source
            config["components"][RELATIONS].pop(key, None)
    config.to_disk(pipeline_dir / "config.cfg")
    manifest = srsly.read_json(source / "manifest.json")["files"]
    files = {name: digest for name, digest in manifest.items() if name.startswith(f"{RELATIONS}/")}
    threshold = config["components"][RELATIONS].get("threshold")
    log(f"relation classifier kept from {source} ({len(files)} files, threshold {threshold}; "
        f"fitted on news gold {str(record.get('refitted_on', {}).get('news_gold_sha256', '?'))[:12]}…)")
    return {**record, "kept_from": {"pipeline": str(source), "files_sha256": files}}


def _train_relations(pipeline_dir: Path, settings: TrainSettings, log) -> dict:
    """Fit the relation classifier on the training gold and save it into the pipeline."""
    import spacy

    nlp = spacy.load(pipeline_dir)
    info = fit_relations(nlp, settings, log)
    nlp.get_pipe(RELATIONS).to_disk(pipeline_dir / RELATIONS)
    # the threshold chosen by cross-validation is a setting of the pipeline: config.cfg holds it
    # (the one place a user reads and edits it; the component's own cfg keeps only C)
    config = spacy.util.load_config(pipeline_dir / "config.cfg", interpolate=False)
    for key in RELATION_CLASSIFIER_SETTINGS:
        config["components"][RELATIONS][key] = info[key]
    config.to_disk(pipeline_dir / "config.cfg")
    return info


def _train_confidence(pipeline_dir: Path, settings: TrainSettings, log) -> dict | None:
    """Fit the entity confidence on the pipeline's output on the news dev split and save it into
    the pipeline (adding the component after the consistency rules where a pipeline lacks it); then
    choose the relation extractor's ``fact_threshold`` on the same output and write it to config.cfg."""
    import spacy

    dev = news_split(settings, "dev")
    if not dev:
        log("entity confidence: not fitted (it is fitted on the news gold's dev split: give --news-gold)")
        return None
    config = spacy.util.load_config(pipeline_dir / "config.cfg", interpolate=False)
    has_relations = RELATIONS in config["nlp"]["pipeline"]
    # no fact threshold while the dev output is taken: every relation the classifier finds is seen
    nlp = spacy.load(pipeline_dir, config={"components": {RELATIONS: {"fact_threshold": 0.0}}} if has_relations else {})
    if CONFIDENCE not in nlp.pipe_names:
        after = "zhnews_org_consistency" if "zhnews_org_consistency" in nlp.pipe_names else nlp.pipe_names[-1]
        nlp.add_pipe(CONFIDENCE, after=after)
        names = list(config["nlp"]["pipeline"])
        names.insert(names.index(after) + 1, CONFIDENCE)
        config["nlp"]["pipeline"] = names
        config["components"][CONFIDENCE] = {"factory": CONFIDENCE}
    output = dev_output(nlp, dev)
    component = nlp.get_pipe(CONFIDENCE)
    component.model, info, out_of_fold = fit_entity_confidence(output, log)
    component.to_disk(pipeline_dir / CONFIDENCE)
    if has_relations:
        threshold, scores, wins = choose_fact_threshold(dev, output.relations, out_of_fold)
        log(f"fact threshold: {threshold} (news dev relations end to end, entity confidence out of fold; "
            f"F1 and share of {FACT_THRESHOLD_RESAMPLES} document resamples beating no threshold, "
            f"{FACT_THRESHOLD_SUPPORT:.0%} needed: " + ", ".join(f"{t}: {scores[t]:.3f} {wins[t]:.0%}" for t in scores) + ")")
        config["components"][RELATIONS]["fact_threshold"] = threshold
        info |= {"fact_threshold": threshold, "fact_threshold_dev_f1": {str(t): round(f, 4) for t, f in scores.items()},
                 "fact_threshold_dev_wins": {str(t): round(w, 4) for t, w in wins.items()}}
    config.to_disk(pipeline_dir / "config.cfg")
    return info


@dataclass
class DevOutput:
    """The pipeline's output on the dev split, entity by entity, for fitting what comes after the NER."""
    features: list[dict] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)
    #: the article of each entity (cross-validation folds keep an article together)
    groups: list[int] = field(default_factory=list)
    #: (relation key, score, head row, tail row): rows index ``features``
    relations: list[tuple] = field(default_factory=list)


def dev_output(nlp, examples: list[GoldExample]) -> DevOutput:
    """Run ``nlp`` over ``examples`` as articles: each entity's confidence features and whether it is
    exactly a gold entity, and each relation found between entities of one example."""
    from .evaluate.articles import article_docs
    from .gold.keys import entity_keys
    from .ner.confidence import doc_features

    gold = entity_keys(examples)
    output = DevOutput()
    for number, (doc, located) in enumerate(article_docs(nlp, examples)):
        first = len(output.features)
        for ent, where, features in zip(doc.ents, located, doc_features(doc)):
            output.features.append(features)
            output.right.append(bool(where) and (where[0], *where[1], ent.label_) in gold)
            output.groups.append(number)
        for relation in (doc._.relations or []) if doc.has_extension("relations") else []:
            head, tail = located[relation["head"]], located[relation["tail"]]
            if head and tail and head[0] == tail[0]:
                output.relations.append(((head[0], head[1], tail[1], relation["type"]), relation["score"],
                                         first + relation["head"], first + relation["tail"]))
    return output


def fit_entity_confidence(output: DevOutput, log=print):
    """A logistic regression saying whether each entity of the pipeline's dev output is exactly a
    gold entity, its strength chosen by log loss in cross-validation grouped by article; also returns
    the chosen strength's out-of-fold predictions (what the confidence says of text it was not fitted on)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import Pipeline

    from .linear import LinearModel
    from .ner.confidence import RIGHT

    rows, groups = output.features, output.groups
    labels = [RIGHT if right else "wrong" for right in output.right]

    def model(C: float):
        return Pipeline([("features", DictVectorizer()), ("classifier", LogisticRegression(C=C, max_iter=2000))])

    y = np.array(output.right)
    losses, predictions = {}, {}
    column = sorted(set(labels)).index(RIGHT)  # predict_proba's columns follow the sorted classes
    for C in (0.1, 0.3, 1.0, 3.0):
        p = cross_val_predict(model(C), rows, labels, groups=groups, cv=GroupKFold(5), method="predict_proba")[:, column]
        predictions[C] = p
        p = np.clip(p, 1e-6, 1 - 1e-6)
        losses[C] = float(-np.mean(y * np.log(p) + (~y) * np.log(1 - p)))
    best = min(losses, key=losses.get)
    fitted = LinearModel.from_sklearn(model(best).fit(rows, labels))
    log(f"entity confidence: {len(rows)} entities of the dev split ({int(y.sum())} right); C {best} "
        f"(cross-validated log loss {losses[best]:.3f}; {', '.join(f'{c}: {l:.3f}' for c, l in losses.items())})")
    info = {"entities": len(rows), "right": int(y.sum()), "C": best, "cv_log_loss": round(losses[best], 4)}
    return fitted, info, predictions[best]


#: the fact thresholds training compares (0: keep every relation the classifier finds)
FACT_THRESHOLDS = (0.0, 0.3, 0.35, 0.4, 0.45, 0.5)
#: a fact threshold is adopted only when it beats keeping every relation in at least this share of
#: bootstrap resamples of the dev documents. Dev holds a few hundred relations, so the best of six
#: thresholds on it is partly dev's noise; and each cut falls hardest on the rarer types, whose
#: entities (zone names) are the less sure, against the issue's floor per type.
FACT_THRESHOLD_SUPPORT = 0.95
FACT_THRESHOLD_RESAMPLES = 2000


def choose_fact_threshold(examples: list[GoldExample], relations: list[tuple], entity_confidence,
                          candidates: tuple[float, ...] = FACT_THRESHOLDS, *, support: float = FACT_THRESHOLD_SUPPORT,
                          resamples: int = FACT_THRESHOLD_RESAMPLES, seed: int = 0) -> tuple[float, dict[float, float], dict[float, float]]:
    """The fact threshold with the best end-to-end relation F1 on ``examples`` among those that beat
    no threshold in at least ``support`` of ``resamples`` bootstrap resamples of the documents (0
    when none does; the lowest on a tie). Returns it, each threshold's F1 and its share of wins.

    ``relations`` are ``DevOutput.relations``; ``entity_confidence`` gives each of their entities'
    confidence predicted out of fold: the confidence fitted on all of dev would have seen these
    very entities, and a threshold chosen on it would trust it more than unseen news can.
    """
    from .gold.keys import document_numbers, relation_keys
    from .scoring import bootstrap_weights, document_counts, weighted_f1

    gold = relation_keys(examples)
    documents, document_of = document_numbers(examples)
    weights = bootstrap_weights(documents, resamples, seed)

    def f1_per_weighting(threshold: float):
        """F1 on dev (row 0) and on each resample (rows 1…)."""
        kept = {key for key, score, head, tail in relations
                if score * entity_confidence[head] * entity_confidence[tail] >= threshold}
        return weighted_f1(document_counts(gold, kept, document_of, documents), weights)

    reference = f1_per_weighting(0.0)
    scores, wins = {}, {}
    for threshold in candidates:
        f1 = reference if threshold == 0.0 else f1_per_weighting(threshold)
        scores[threshold] = float(f1[0])
        wins[threshold] = float((f1[1:] > reference[1:]).mean())
    supported = [t for t in candidates if t == 0.0 or wins[t] >= support]
    best = max(supported, key=lambda t: (round(scores[t], 6), -t)) if supported else 0.0
    return best, scores, wins


def fit_relations(nlp, settings: TrainSettings, log=print) -> dict:
    """Fit the relation classifier of ``nlp`` on the gold minus ``settings.holdout`` and the relation training-only sets.

    The classifier learns from gold entities, not from the NER's output, so it can be
    refitted on its own (in seconds) whenever its features or data change.
    """
    from .relations.training import train_relation_classifier
    from .segment.chars import words

    held = set(settings.holdout)
    examples = [e for e in load_gold(settings.gold) if e.doc_id not in held]
    examples += [e for e in news_split(settings, "train") if e.doc_id not in held]
    examples += [e for path in settings.relation_train_only for e in load_gold(path)]
    silver = load_valid_silver(settings.relation_silver) if settings.relation_silver else []
    extractor = nlp.get_pipe(RELATIONS)
    extractor.classifier = train_relation_classifier(examples, lambda text: words(nlp.make_doc(text)),
                                                     per_type=settings.per_type_thresholds, silver=silver, log=log)
    return {"threshold": extractor.classifier.threshold, "thresholds": extractor.classifier.thresholds,
            "groups": sorted(extractor.classifier.models),
            **({"silver_paragraphs": len(silver), "silver_relations": sum(len(e.relations) for e in silver)} if silver else {})}


def load_valid_silver(path: Path) -> list[GoldExample]:
    """Silver data (ORG or relations), checked like gold: bad silver never trains a model."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no silver data at {path}")
    silver = load_gold(path)
    problems = validate_examples(silver, check_text=False)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:20])
        raise GoldInvalidError(f"{len(problems)} problem(s) in the silver data at {path}:\n{listed}")
    if not all(e.meta.get("silver") for e in silver):
        raise GoldInvalidError(f"{path} is not silver data: every record's meta says \"silver\": true "
                               "(scripts/build_silver.py, scripts/build_silver_relations.py)")
    return silver


def repo_relative(path: Path) -> str:
    """A path as the repository names it, so meta.json does not carry one machine's layout."""
    resolved = Path(path).resolve()
    return resolved.relative_to(REPO_ROOT).as_posix() if resolved.is_relative_to(REPO_ROOT) else str(path)


class _LogStream:
    """Lets spaCy's console logger write through our logger."""

    def __init__(self, log):
        self.log = log

    def write(self, text: str) -> None:
        if text.strip():
            self.log(text.rstrip("\n"))

    def flush(self) -> None:
        pass
