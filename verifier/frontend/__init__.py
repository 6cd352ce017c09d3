"""The front end: derivation files read, parsed and built into the problems the engine settles."""
