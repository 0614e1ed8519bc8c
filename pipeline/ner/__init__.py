"""Named entities: exact rules for MONEY and YEAR, a trained spaCy NER for ORG."""
