"""The complaint queue's table, one pass in Python.

wagtail_modeladmin's ``{% result_list %}`` renders two inclusion templates per row and
one per cell (``result_row.html``, ``result_row_value.html``): 300 template renders for
a page of 25 reports, most of the page's time at a million reports. ``queue_result_list``
produces the same markup: each cell still comes from modeladmin's ``items_for_result``
(the list_display methods, the empty value, the primary button's link), only the two
per-row templates and the button (``modeladmin/includes/button.html``) are done here.
"""

from django import template
from django.forms.utils import flatatt
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail_modeladmin.templatetags.modeladmin_tags import items_for_result, result_headers

register = template.Library()


def _button(button: dict) -> str:
    """``modeladmin/includes/button.html`` for a button without an icon (the queue's
    查看/处理); one with an icon goes through the template."""
    if button.get("icon"):
        return get_template("modeladmin/includes/button.html").render({"button": button})
    return format_html(
        '<a{} class="{}" title="{}"{}{}>{}</a>',
        format_html(' href="{}"', button["url"]) if button.get("url") else "",
        button.get("classname", ""),
        button.get("title", ""),
        format_html(' target="{}"', button["target"]) if button.get("target") else "",
        format_html(' rel="{}"', button["rel"]) if button.get("rel") else "",
        button.get("label", ""),
    )


def _buttons(buttons) -> str:
    if not buttons:
        return ""
    return '<ul class="actions">' + "".join(f"<li>{_button(b)}</li>" for b in buttons) + "</ul>"


def queue_rows(view, object_list, request) -> str:
    """Every ``<tr>`` of the listing, as modeladmin's ``result_row_display`` and
    ``result_row_value_display`` would render them."""
    model_admin = view.model_admin
    list_display = model_admin.get_list_display(request)
    add_buttons_at = list_display.index(model_admin.get_list_display_add_buttons(request))
    rows = []
    for index, obj in enumerate(object_list):
        attrs = model_admin.get_extra_attrs_for_row(obj, {"view": view, "request": request})
        attrs["data-object-pk"] = obj.pk
        parity = "odd" if index % 2 == 0 else "even"
        attrs["class"] = f"{attrs['class']} {parity}" if "class" in attrs else parity
        cells = []
        for position, item in enumerate(items_for_result(view, obj, request)):
            if position == add_buttons_at:
                buttons = _buttons(view.get_buttons_for_obj(obj))
                cells.append(f"{item[:-5]}{buttons}{item[-5:]}")
            else:
                cells.append(item)
        rows.append(f"<tr{flatatt(attrs)}>{''.join(cells)}</tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every cell is built by format_html


@register.inclusion_tag("feedback/admin/queue_result_list.html", takes_context=True)
def queue_result_list(context):
    view = context["view"]
    object_list = context["object_list"]
    headers = list(result_headers(view))
    context.update(
        {
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "rows": queue_rows(view, object_list, context["request"]),
        }
    )
    return context
