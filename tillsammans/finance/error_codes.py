from django.db import models


class FinanceErrorCode(models.TextChoices):
    NOT_ALLOWED = "not_allowed"
    BAD_RATE = "bad_rate"
    RATE_DUPLICATE = "rate_duplicate"
    RATE_LOCKED = "rate_locked"
    NO_AGREEMENT = "no_agreement"
    BAD_MONTH = "bad_month"
    REPORT_EXISTS = "report_exists"
    REPORT_LOCKED = "report_locked"
    NOT_SUBMITTED = "not_submitted"
    ALREADY_DECIDED = "already_decided"
    MONTH_NOT_OVER = "month_not_over"
    COMMENT_REQUIRED = "comment_required"
    BAD_AMOUNT = "bad_amount"
    CORRECTION_EXISTS = "correction_exists"
