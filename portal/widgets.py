"""Form widgets and the form renderer for public pages, without a template per input.

Django renders a ``<select>`` through one template for the select and one more for
every ``<option>``, and every input through two templates: a filter form with a
community list cost about 2 ms of each list page. These build the same HTML
(attributes, ``selected``, option groups) in Python. Every value goes through
:func:`esc`, which is Django's ``conditional_escape`` without its lazy-string
wrapper (a third of the rendering time), so escaping is unchanged.
"""

import html

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


def esc(value) -> str:
    """``conditional_escape``: markup already marked safe stays as it is."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _options_html(options) -> str:
    return "".join(
        f'<option value="{esc(option["value"])}"{flatatt(option["attrs"])}>{esc(option["label"])}</option>'
        for option in options
    )


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{esc(group_name)}">{_options_html(options)}</optgroup>')
            else:
                parts.append(_options_html(options))
        return mark_safe(  # noqa: S308 - every value above went through esc
            f'<select name="{esc(widget["name"])}"{flatatt(widget["attrs"])}>{"".join(parts)}</select>'
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
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> SafeString:
    value = "" if widget["value"] is None else f' value="{esc(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value went through esc
        f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"{value}{_attrs_html(widget["attrs"])}>'
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
            return input_html(widget)
        if template_name == f"{_WIDGETS}textarea.html":
            text = esc(widget["value"]) if widget["value"] else ""
            return mark_safe(  # noqa: S308 - every value went through esc
                f'<textarea name="{esc(widget["name"])}"{_attrs_html(widget["attrs"])}>\n{text}</textarea>'
            )
        return super().render(template_name, context, request=request)
