"""Helpers shared by the road loaders: road numbers, CRS handling, OGR reading, safe XML, event location."""
