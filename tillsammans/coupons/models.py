"""Models of the coupons app."""
