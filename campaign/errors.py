"""What a domain verb raises when a rule says no to what someone typed."""


class FieldError(ValueError):
    """The message is for the person (in their language); `field` names the form field it is about,
    or None for the form as a whole. Pages show it beside that field with a 400."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
