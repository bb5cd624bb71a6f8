from django import template

from ..common.privacy import mask_name, mask_phone, redact_text

register = template.Library()

register.filter("redact", redact_text)
register.filter("mask_phone", mask_phone)
register.filter("mask_name", mask_name)
