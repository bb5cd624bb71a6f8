"""PlainSelect and PlainRenderer render what Django's templates render, escaping included."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.widgets import PlainRenderer, PlainSelect

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


HOSTILE = 'x"><script>alert(1)</script>&amp;'


class EveryInput(forms.Form):
    text = forms.CharField(
        max_length=20, widget=forms.TextInput(attrs={"placeholder": HOSTILE, "data-x": None})
    )
    phone = forms.CharField(
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "required": True})
    )
    email = forms.EmailField(required=False)
    number = forms.DecimalField(required=False, widget=forms.HiddenInput)
    count = forms.IntegerField(required=False, min_value=1)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    when = forms.DateField(required=False)
    agree = forms.BooleanField(required=False)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": False}))
    kind = forms.ChoiceField(choices=[("a", "甲"), ("b", HOSTILE)], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("1", "一"), (HOSTILE, "二")], required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(required=False)


def _every_rendering(form) -> list[str]:
    out = []
    for field in form:
        out.append(str(field))
        for choice in getattr(field, "subwidgets", []):
            out += [choice.tag(), choice.tag(wrap_label=True)]
    return out


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": HOSTILE, "phone": "138", "email": "bad", "number": "1.5", "count": "0",
            "secret": HOSTILE, "when": "2026-11-27", "agree": "on", "kind": "b",
            "many": ["1", HOSTILE], "note": "第一行\n<b>第二行</b>",
        },
    ],
)  # fmt: skip
def test_plain_renderer_gives_django_templates_html_byte_for_byte(data):
    plain = EveryInput(data, renderer=PlainRenderer())
    django = EveryInput(data, renderer=DjangoTemplates())
    if data is not None:
        plain.is_valid(), django.is_valid()
    assert _every_rendering(plain) == _every_rendering(django)
    assert "<script>" not in "".join(_every_rendering(plain))


def test_every_form_uses_the_plain_renderer():
    assert isinstance(EveryInput().renderer, PlainRenderer)


@pytest.mark.django_db
@pytest.mark.parametrize("field_name", ["captcha", "report-captcha"])
def test_captcha_html_is_what_its_template_renders(field_name):
    from portal.abuse import PortalCaptchaInput

    widget = PortalCaptchaInput()
    widget.fetch_captcha_store(field_name, None, {"id": f"id_{field_name}"}, None)
    context = widget.get_context(field_name, widget._value, {"id": f"id_{field_name}", "required": True})
    by_template = widget._render(widget.template_name, context, DjangoTemplates())
    assert PortalCaptchaInput.html(context) == by_template
    assert 'inputmode="numeric"' in by_template and "/captcha/image/" in by_template
