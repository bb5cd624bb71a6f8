"""Reference numbers residents read aloud on the phone: ``20261122-4KX7``.

Date (Asia/Shanghai) plus four characters from an alphabet without the look-alikes
0/O and 1/I, drawn with ``secrets`` so neighbours' numbers cannot be guessed from
one's own. 32**4 = 1,048,576 codes per day; the unique constraint plus a retry in
``services.submit_complaint`` handles the rare collision.
"""

import re
import secrets
from datetime import date

from portal.personal_data import mask_personal_data

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 4


def new_reference(*, on: date) -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{on:%Y%m%d}-{code}"


PUBLIC_CODE_LENGTH = 8


def new_public_code() -> str:
    """A public report's own address (``/feedback/public/K7X4M2QH/``): 32**8 codes, drawn
    at random so one report's code says nothing about another's."""
    return "".join(secrets.choice(ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


def normalise_reference(text: str) -> str:
    """Accept what people type: lower case, spaces, a missing dash, O for 0…"""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(cleaned) == 8 + CODE_LENGTH:
        return f"{cleaned[:8]}-{cleaned[8:]}"
    return (text or "").strip().upper()


# A reference as staff or residents write it in a reply or a note (20261122-4KX7,
# 20261122 4kx7, 202611224KX7).
REFERENCE_IN_TEXT_RE = re.compile(
    rf"(?<![0-9A-Za-z])(20[0-9]{{6}})[ -]?[{ALPHABET}]{{{CODE_LENGTH}}}(?![0-9A-Za-z])", re.I
)
HIDDEN_REFERENCE = r"\1-****"  # the day stays (the board shows it anyway), the code goes


def for_the_public(text: str) -> str:
    """Text about a report as anyone may read it (the public board, the keyless API):
    personal data masked, and references hidden, as a reference with the phone's last
    digits opens the resident's own tracking page (a reply template may hold one)."""
    return REFERENCE_IN_TEXT_RE.sub(HIDDEN_REFERENCE, mask_personal_data(text or ""))
