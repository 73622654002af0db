"""rail source family readers and loaders."""
