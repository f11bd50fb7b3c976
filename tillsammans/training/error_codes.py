from django.db import models


class TrainingErrorCode(models.TextChoices):
    NOT_ALLOWED = "not_allowed"
    BAD_SEATS = "bad_seats"
    FULL = "full"
    BAD_ATTENDEES = "bad_attendees"
    BAD_HOURS = "bad_hours"
    BAD_MONTH = "bad_month"
    BAD_ALIAS = "bad_alias"
