"""Ask the knowledge graph: SPARQL from the command line (named queries are added by the API)."""
