from django.db import models


class MinorsErrorCode(models.TextChoices):
    BAD_DATES = "bad_dates"
    HAS_CASE = "has_case"
    NOT_UNACCOMPANIED = "not_unaccompanied"
    NOT_A_CASE_WORKER = "not_a_case_worker"
    NOT_A_HOME = "not_a_home"
    NO_DECISION = "no_decision"
    DUPLICATE = "duplicate"
    ENDED = "ended"
    NO_RECORD_CHECK = "no_record_check"
    WRONG_SERVICE = "wrong_service"
    CHANGED = "changed"
    STILL_LIVES_THERE = "still_lives_there"
    TOO_YOUNG = "too_young"
    FULL = "full"
