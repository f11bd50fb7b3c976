"""Writes of the hosting app: every change goes through a function here."""
