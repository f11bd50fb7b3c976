"""Writes of the training app: every change goes through a function here."""
