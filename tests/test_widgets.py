"""PlainSelect renders what Django's Select renders, escaping included."""

from html.parser import HTMLParser

from django import forms

from home.widgets import PlainSelect

CHOICES = [
    ("", "全部"),
    ('x"><script>', "甲&乙<b>"),
    ("网格", [("g1", "一网格"), ("g2", "二网格")]),
]


class _Structure(HTMLParser):
    """Tags with their attributes (order ignored) and text, as a browser sees them."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs, key=lambda a: a[0])))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def _normalise(html: str) -> list:
    parser = _Structure()
    parser.feed(html)
    return parser.items


def _render(widget_class, value):
    class Form(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=False, widget=widget_class)

    form = Form({"pick": value})
    form.is_valid()
    return _normalise(str(form["pick"]))


def test_plain_select_matches_django_select():
    for value in ("", "g2", 'x"><script>', "missing"):
        assert _render(PlainSelect, value) == _render(forms.Select, value)


def test_plain_select_escapes_values_and_labels():
    class Form(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)

    html = str(Form()["pick"])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "甲&amp;乙" in html
