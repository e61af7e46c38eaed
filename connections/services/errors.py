class ConnectionsError(Exception):
    """Input or a request this app refuses; the message is shown to the member as is and nothing was stored."""


class AlreadyAnswered(ConnectionsError):
    """Another supporter answered this support request first."""
