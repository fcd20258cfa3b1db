"""spaCy pipeline: news text to typed entities and claims with provenance."""
