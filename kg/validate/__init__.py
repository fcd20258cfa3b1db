"""The SHACL gate: shapes from shapes/ plus shapes generated from the ontology, checked per document graph."""
