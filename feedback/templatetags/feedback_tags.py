from django import template

from feedback.complaints.references import for_the_public
from portal.personal_data import mask_name, mask_phone

register = template.Library()

register.filter("redact", for_the_public)
register.filter("mask_phone", mask_phone)
register.filter("mask_name", mask_name)
