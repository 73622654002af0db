"""Identifier rules shared by several formats (SR70 rail point codes, CRZ stop and pole numbers),
written once here and, for SQL, once in schemas/600_shared_rules.sql."""
