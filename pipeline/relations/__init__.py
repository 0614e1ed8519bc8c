"""Relation classification over entity pairs: candidates → features → scikit-learn → spaCy component."""
