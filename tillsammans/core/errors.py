"""Errors that services raise and views turn into a message for the user."""

from django.utils.functional import Promise


class ServiceError(Exception):
    """A rule of the domain was broken; ``message`` is translated and shown as it is."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


class PermissionDenied(ServiceError):
    def __init__(self, message: str | Promise) -> None:
        super().__init__("permission_denied", message)
