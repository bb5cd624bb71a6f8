"""Hypothesis strategies for hostile input, shared by every app's property tests.

``nasty_text()`` mixes markup/script payloads, zero-width and bidi control characters,
NUL and other control bytes, CJK text, surrogate-free astral characters and very long
strings; ``query_value()`` keeps to what can travel in a URL query string.
"""

from hypothesis import strategies as st

HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${7*7}",
    "' OR 1=1 --",
    '=HYPERLINK("http://evil.example/","点我")',
    "../../../../etc/passwd",
    "%00",
    "&#x3C;script&#x3E;",
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]  # zero-width
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"]  # RTL overrides
CONTROL = ["\x00", "\x07", "\x1b", "\r", "\n", "\t", "\x7f"]
CJK = ["社区", "红色驿站", "居民", "滇ICP备", "繁體字", "👵🏻", "𠀀"]

_pieces = st.one_of(
    st.sampled_from(HTML_PAYLOADS),
    st.sampled_from(INVISIBLE + BIDI + CONTROL + CJK),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)


def nasty_text(*, max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Concatenations of hostile pieces, sometimes repeated into a very long string."""
    joined = st.lists(_pieces, min_size=1, max_size=max_pieces).map("".join)
    very_long = st.tuples(joined, st.integers(min_value=100, max_value=400)).map(lambda t: t[0] * t[1])
    return st.one_of(joined, joined, joined, very_long)


def query_value(*, max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Hostile text that the test client can put in a query string (it percent-encodes)."""
    return nasty_text(max_pieces=max_pieces)


def markup_payload() -> st.SearchStrategy[str]:
    """Always contains an active-looking tag, so a test can check it never appears unescaped."""
    return st.tuples(nasty_text(max_pieces=3), st.sampled_from(HTML_PAYLOADS[:5])).map("".join)
