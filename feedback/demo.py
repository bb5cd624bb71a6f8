"""Demo content of feedback for ``load_initial_data``: evaluations, complaints,
participation, staff and the units' tickets, then 议事协商."""

from .common import demo as staff_demo
from .complaints import demo as complaints_demo
from .complaints import dispatch_demo
from .deliberation import demo as deliberation_demo
from .evaluations import demo as evaluations_demo
from .participation import demo as participation_demo
from .participation.members import demo as members_demo


def load(stdout=None) -> None:
    evaluations_demo.load(stdout)
    complaints_demo.load(stdout)
    participation_demo.load(stdout)
    password = staff_demo.load_staff(stdout)
    dispatch_demo.load(stdout, password=password)
    members_demo.load(stdout)
    deliberation_demo.load(stdout)  # walked by the demo administrator, so after the staff
