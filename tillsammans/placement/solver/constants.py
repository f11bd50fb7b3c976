"""Numbers of the problem's definition, free of any import."""

MAX_FIT = 1000  # the best fit of a household and a unit
PERSON_VALUE = 1000  # what one person housed is worth: as much as a perfect fit
UNBOUNDED = 2**61  # max_households of a unit without a limit
