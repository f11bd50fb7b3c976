from django.db import models


class HousingErrorCode(models.TextChoices):
    BEDS_OCCUPIED = "beds_occupied"
    BAD_DATES = "bad_dates"
    SETTLED_MONTH = "settled_month"
    CHANGED = "changed"
    BAD_NUMBER = "bad_number"
    NOT_A_HOME_FOR_CHILDREN = "not_a_home_for_children"
    BAD_HOLDER = "bad_holder"
    LICENCES_OVERLAP = "licences_overlap"
