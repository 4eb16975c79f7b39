"""Plain-Python helpers of the accounting hub (no ORM)."""
