from django.db import models


class HousingErrorCode(models.TextChoices):
    BEDS_OCCUPIED = "beds_occupied"
    BAD_DATES = "bad_dates"
    BAD_NUMBER = "bad_number"
