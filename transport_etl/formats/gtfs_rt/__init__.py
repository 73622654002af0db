"""GTFS-Realtime (trip updates, vehicle positions, service alerts) recorded as history."""
