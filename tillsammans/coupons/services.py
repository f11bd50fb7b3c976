"""Writes of the coupons app: every change goes through a function here."""
