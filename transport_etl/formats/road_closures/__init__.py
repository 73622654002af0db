"""Road family: closures."""
