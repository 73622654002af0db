"""Road family: census."""
