"""The dispatch demo: tickets in every light, each signed one signed by a liaison of its unit."""
# ruff: noqa: F811 - pytest fixtures imported from the conftest and used by name

from feedback.complaints import dispatch_demo
from feedback.complaints.models import Complaint

from .conftest import category, community, unit  # noqa: F401


def test_demo_tickets_signed_by_their_units_liaison(category, community, unit):
    dispatch_demo.load(password="demo-pw-123456")
    signed = Complaint.objects.filter(is_demo=True, signed_at__isnull=False)
    assert signed.count() >= 4
    members = set(unit.members.values_list("pk", flat=True))
    assert members
    assert all(ticket.signed_by_id in members for ticket in signed)
