"""Regional sources: JDF timetables and the regional stop register (CRZ)."""
