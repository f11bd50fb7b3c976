"""Writes of the jobs app: every change goes through a function here."""
