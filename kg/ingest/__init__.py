"""Sources → extract → map → validate → store, one document graph at a time, idempotent and crash-safe."""
