"""Running claims: worker processes with time and memory limits, and the result cache."""
