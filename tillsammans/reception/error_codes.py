from django.db import models


class ReceptionErrorCode(models.TextChoices):
    NO_ROOM = "no_room"
    NOT_PENDING = "not_pending"
    NEEDS_NOT_MET = "needs_not_met"
    ALREADY_HOUSED = "already_housed"
    SITE_CLOSED = "site_closed"
    BAD_DATES = "bad_dates"
    STAY_ENDED = "stay_ended"
    SAME_UNIT = "same_unit"
    EMPTY_HOUSEHOLD = "empty_household"
    DUPLICATE = "duplicate"
    # A host home of a programme (eligibility.py); the values are those the hosting app
    # used before the rule moved here, so failures stored on proposals keep their meaning.
    HOST_NOT_REGISTERED = "not_registered"
    HOST_NOT_VETTED = "not_vetted"
    HOST_NOT_AVAILABLE = "not_available"
    NO_AGREEMENT = "no_agreement"
    # A home for children (eligibility.py, condition 6).
    NEEDS_LICENSED_HOME = "needs_licensed_home"
    HOME_FOR_CHILDREN = "home_for_children"
    NO_DECISION = "no_decision"
    NO_LICENCE = "no_licence"
    LICENCE_AGE = "licence_age"
    ADULT_IN_CHILDREN_HOME = "adult_in_children_home"
    LICENCE_SEX = "licence_sex"
    LICENCE_FULL = "licence_full"
    IMPORT_HAS_ERRORS = "import_has_errors"
    IMPORT_REFERENCES_TAKEN = "import_references_taken"
    IMPORT_EXPIRED = "import_expired"
    IMPORT_ALREADY_DONE = "import_already_done"
    NOT_MOVED_OUT = "not_moved_out"
    LIVED_ELSEWHERE = "lived_elsewhere"
    NOTE_MISSING = "note_missing"
    NO_REASON = "no_reason"
