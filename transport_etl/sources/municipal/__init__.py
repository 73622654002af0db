"""municipal source family readers and loaders."""
