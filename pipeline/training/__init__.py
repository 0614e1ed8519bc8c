"""Build-time code: reading the public corpora into training data and turning gold into spaCy
training documents. Only ``zhnews train`` and the build scripts import it; nothing a loaded
pipeline runs does."""
