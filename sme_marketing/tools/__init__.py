"""Plain-Python marketing rules (no ORM)."""
