"""The ontology: loading, checks for editors, documentation."""
