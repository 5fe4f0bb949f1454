"""Validation of models against the SHACL rule library in ``shapes/`` (and OWL consistency)."""
