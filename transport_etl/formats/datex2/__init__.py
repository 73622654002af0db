"""Road family: datex2."""
