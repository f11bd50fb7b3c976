from django.db import models


class ReferralErrorCode(models.TextChoices):
    NO_SCOPE = "no_scope"
    NO_PARTNER = "no_partner"
    BAD_DATE = "bad_date"
    BAD_LANGUAGE = "bad_language"
    WRONG_PERSON = "wrong_person"
    ALREADY_WITHDRAWN = "already_withdrawn"
    NO_CONSENT = "no_consent"
    CONSENT_NOT_COVERING = "consent_not_covering"
    OWN_SERVICE = "own_service"
    ALREADY_REFERRED = "already_referred"
    NOT_OPEN = "not_open"
    NOT_ACCEPTED = "not_accepted"
    NO_REASON = "no_reason"
