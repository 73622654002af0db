"""Road family: network."""
