"""A logging filter that cuts secrets out of request paths before a line is written.

Django logs the path of a 404 or 500 (``django.request``) and runserver every request
(``django.server``); a resident's tracking link carries its secret in the path. The
patterns come from the settings (``LOGGING``), so this module names no app's URL.
"""

import logging
import re


class RedactPathSecrets(logging.Filter):
    def __init__(self, patterns=(), name=""):
        super().__init__(name)
        self.patterns = [re.compile(pattern) for pattern in patterns]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for pattern in self.patterns:
            redacted = pattern.sub(r"\1…", redacted)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
