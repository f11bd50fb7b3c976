from django.db import models


class PlacementErrorCode(models.TextChoices):
    NOTHING_TO_PLACE = "nothing_to_place"
    NOBODY_LIVES_THERE = "nobody_lives_there"
    BAD_PIN = "bad_pin"
    BAD_FORBID = "bad_forbid"
    NOT_ADJUSTABLE = "not_adjustable"
    NOTHING_SELECTED = "nothing_selected"
    PROBLEM_REFUSED = "problem_refused"
    BAD_WEIGHTS = "bad_weights"
