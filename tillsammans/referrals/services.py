"""Writes of the referrals app: every change goes through a function here."""
