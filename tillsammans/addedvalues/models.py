"""Models of the addedvalues app."""
