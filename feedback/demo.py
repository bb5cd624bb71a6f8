"""Demo content of feedback for ``load_initial_data``: evaluations, complaints, staff, then 议事协商."""

from .common import demo as staff_demo
from .complaints import demo as complaints_demo
from .deliberation import demo as deliberation_demo
from .evaluations import demo as evaluations_demo


def load(stdout=None) -> None:
    evaluations_demo.load(stdout)
    complaints_demo.load(stdout)
    staff_demo.load_staff(stdout)
    deliberation_demo.load(stdout)  # walked by the demo administrator, so after the staff
