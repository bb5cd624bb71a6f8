from django import template

from portal.personal_data import mask_name, mask_personal_data, mask_phone

register = template.Library()

register.filter("redact", mask_personal_data)
register.filter("mask_phone", mask_phone)
register.filter("mask_name", mask_name)
