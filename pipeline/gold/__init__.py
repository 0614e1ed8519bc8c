"""Gold annotations: the one loader, the validator, statistics and the manifest."""

from .format import GoldEntity, GoldExample, GoldRelation, dump_examples, load_gold

__all__ = ["GoldEntity", "GoldExample", "GoldRelation", "dump_examples", "load_gold"]
