"""Local servers that behave like the accounting systems, for tests and the demo."""
