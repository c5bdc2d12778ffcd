"""The one exception the command line turns into a one-line message."""


class CloudError(Exception):
    """A problem the user can act on: the message says the cause and the fix."""
