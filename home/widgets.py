"""Form widgets for public pages, rendered without a template per option.

Django renders a ``<select>`` through one template for the select and one more for
every ``<option>``: a filter form with a community list cost about 2 ms of each list
page. These widgets build the same HTML (attributes, ``selected``, option groups)
with ``format_html``, so escaping is unchanged.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


def _options_html(options) -> str:
    return format_html_join("", "<option value=\"{}\"{}>{}</option>", (
        (option["value"], flatatt(option["attrs"]), option["label"]) for option in options
    ))  # fmt: skip


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_name, _options_html(options))
                )
            else:
                parts.append(_options_html(options))
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


# -- The renderer for every form --------------------------------------------------

_WIDGETS = "django/forms/widgets/"
# Templates that are exactly django/forms/widgets/input.html.
_INPUT_TEMPLATES = {
    f"{_WIDGETS}{name}.html"
    for name in (
        "input", "text", "email", "number", "hidden", "password", "url", "tel", "search",
        "checkbox", "date", "time", "datetime", "color", "file",
    )
}  # fmt: skip
# input_option.html: the bare input unless the label is wrapped around it.
_OPTION_TEMPLATES = {f"{_WIDGETS}{name}.html" for name in ("input_option", "checkbox_option", "radio_option")}


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: in order, ``True`` as a bare name, ``False`` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _input_html(widget: dict) -> str:
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs_html(widget["attrs"])
    )


class PlainRenderer(DjangoTemplates):
    """Django's form renderer, but inputs, their options and text areas are built in
    Python: one template per input (and per checkbox of a multiple choice) was most of
    the time of a public form. The HTML is byte for byte what Django's templates give
    (``tests/test_widgets.py``); every other template goes to the template engine."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in _INPUT_TEMPLATES or (
            template_name in _OPTION_TEMPLATES and not widget.get("wrap_label")
        ):
            return _input_html(widget)
        if template_name == f"{_WIDGETS}textarea.html":
            text = widget["value"] or ""
            return format_html(
                '<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attrs_html(widget["attrs"]), text
            )
        return super().render(template_name, context, request=request)
