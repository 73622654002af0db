"""ALERT-C (TMC) location tables in the ISO 14819-3 exchange format."""
