"""The refusals every use case speaks, so the edges turn them into answers without knowing the
app: a refused request (400), a caller without the role (403), a concurrent change (409).

An app's own errors subclass these (`IncidentCommandError(Refused)`); the API's `call_service`
and the admin catch the base classes.
"""


class Refused(ValueError):
    """The rules refuse the request as given; the message names the field and says what to do."""


class Forbidden(PermissionError):
    """The caller's role may not do this."""


class Conflict(Exception):
    """Someone else changed the thing meanwhile: reload, decide again."""
