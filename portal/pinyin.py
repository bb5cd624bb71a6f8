"""Pinyin forms of Chinese words, so residents who type 拼音 or its initials find pages.

A resident on a phone often types ``dibao`` or ``dbzm`` instead of switching to the
Chinese keyboard. The index therefore carries, beside the Chinese words, each word's
toneless full pinyin (低保 → ``dibao``) and, for words of three or more characters, its
initials (网格员 → ``wgy``); the same for each pair of neighbouring words (低保 证明 →
``dibaozhengming``, ``dbzm``), since residents type a phrase's initials in one go.

pypinyin picks the reading of a heteronym from its phrase dictionary (银行 → yinhang).
ü is written ``v`` (绿 → ``lv``), as on a phone's pinyin keyboard.
"""

import re
from functools import lru_cache

# Latin words that may be pinyin: letters only, 2 to 40 of them.
_LATIN_RE = re.compile(r"^[a-z]{2,40}$")


@lru_cache(maxsize=20_000)
def forms(word: str) -> tuple[str, ...]:
    """The full pinyin and (for three or more characters) the initials of a Chinese word.

    Two letters of initials (db, sq) stand for hundreds of words, so they are not kept."""
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
    if not full:
        return ()
    if len(word) < 3:
        return (full,)
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return (full, initials) if initials != full else (full,)


def index_words(words: list[str], phrase: list[str]) -> list[str]:
    """Pinyin index words: the forms of each of ``words`` and of each neighbouring pair in
    ``phrase`` (the run's words in order). Single characters are left out, alone or in a
    pair: as pinyin they would match too much (de, dtz…)."""
    found: list[str] = []
    for word in dict.fromkeys(words):
        if len(word) >= 2:
            found.extend(forms(word))
    for first, second in zip(phrase, phrase[1:], strict=False):
        if len(first) >= 2 and len(second) >= 2:
            found.extend(forms(first + second))
    return found


def could_be_pinyin(word: str) -> bool:
    return bool(_LATIN_RE.match(word))
