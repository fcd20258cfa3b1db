"""Claims to RDF: the one place that mints IRIs, and the mapping to graphs."""
