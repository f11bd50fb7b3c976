"""Models of the hosting app."""
