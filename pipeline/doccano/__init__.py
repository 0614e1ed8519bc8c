"""The annotation round trip through a doccano server (``zhnews doccano push|pull``).

``client`` is a small typed adapter over doccano 1.8's REST API (plain ``requests``),
``config`` reads the server settings, ``push``/``pull`` move examples to and from a
project, ``selection`` picks the paragraphs the model is least sure about.
"""
