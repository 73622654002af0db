"""Regional stop register (CRZ stop numbers and označník poles with positions), CSV or XLSX."""
