"""zhnews: Chinese economic news to structured, verifiable facts.

The package layout follows the pipeline: ``normalize`` → ``segment`` → ``ner`` →
``relations``, with ``io`` for reading inputs and writing records.
"""

__version__ = "0.1.0"
