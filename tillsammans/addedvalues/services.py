"""Writes of the addedvalues app: every change goes through a function here."""
