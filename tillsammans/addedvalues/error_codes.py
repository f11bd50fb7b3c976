from django.db import models


class AddedValuesErrorCode(models.TextChoices):
    NOT_YOURS = "not_yours"
    BAD_SERVICE = "bad_service"
    NOT_A_RESIDENT = "not_a_resident"
    LIMIT_REACHED = "limit_reached"
    LIMIT_WARNING = "limit_warning"
    FUTURE_DATE = "future_date"
    WRONG_PERSON = "wrong_person"
    NOBODY_SELECTED = "nobody_selected"
    TOO_MANY = "too_many"
    NOT_A_MEETING_PLACE = "not_a_meeting_place"
    BAD_QUANTITY = "bad_quantity"
    ALREADY_RECORDED = "already_recorded"
