from django.db import models


class JobsErrorCode(models.TextChoices):
    NOT_A_COACH = "not_a_coach"
    NOT_ENROLLABLE = "not_enrollable"
    ALREADY_ENROLLED = "already_enrolled"
    BAD_DATE = "bad_date"
    BAD_VALUE = "bad_value"
    STAGE_CHANGED = "stage_changed"
    BAD_STAGE = "bad_stage"
    MISSING_EMPLOYMENT = "missing_employment"
    MISSING_REASON = "missing_reason"
    ALREADY_PROPOSED = "already_proposed"
    OPENING_CLOSED = "opening_closed"
    NOT_ACTIVE = "not_active"
    CONSENT_WITHDRAWN = "consent_withdrawn"
