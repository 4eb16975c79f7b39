"""Sync machinery shared by every entity: the run (log and counts) and the
batch import loop."""
