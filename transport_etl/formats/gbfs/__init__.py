"""GBFS (General Bikeshare Feed Specification) 2.x/3.0: discovery, station feeds, status polling."""
