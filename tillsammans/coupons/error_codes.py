from django.db import models


class CouponErrorCode(models.TextChoices):
    NOT_ALLOWED = "not_allowed"
    BAD_VALUE = "bad_value"
    BAD_DATES = "bad_dates"
    NOT_A_RESIDENT = "not_a_resident"
    NO_SHOP = "no_shop"
    SHOP_EXISTS = "shop_exists"
    TYPING_ERROR = "typing_error"
    UNKNOWN_CODE = "unknown_code"
    ALREADY_USED = "already_used"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    BAD_AMOUNT = "bad_amount"
    AMOUNT_EXCEEDS = "amount_exceeds"
    NOT_CANCELLABLE = "not_cancellable"
