"""road source family readers and loaders."""
