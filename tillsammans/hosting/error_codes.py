from django.db import models


class HostingErrorCode(models.TextChoices):
    NOT_VETTED = "not_vetted"
    NO_PROGRAMME = "no_programme"
    BAD_DATES = "bad_dates"
    BAD_STEP = "bad_step"
    NOT_YES = "not_yes"
    NOT_SIGNED = "not_signed"
    AGREEMENT_ENDED = "agreement_ended"
    STILL_LIVING_THERE = "still_living_there"
    MONTH_PAID = "month_paid"
    MONTH_NOT_OVER = "month_not_over"
    BAD_HOUSEHOLD = "bad_household"
