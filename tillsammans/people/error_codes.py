from django.db import models


class PeopleErrorCode(models.TextChoices):
    BAD_DATES = "bad_dates"
    FUTURE = "future"
    NO_PERMIT = "no_permit"
    NOT_APPLIED = "not_applied"
    BAD_NUMBER = "bad_number"
    NUMBER_TAKEN = "number_taken"
    DUPLICATE = "duplicate"
    ALREADY_CORRECTED = "already_corrected"
    DEPENDS = "depends"
    NO_REASON = "no_reason"
