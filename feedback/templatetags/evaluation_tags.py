"""``{% load evaluation_tags %}``: the tags live with the evaluations (``evaluations.tags``)."""

from ..evaluations.tags import register  # noqa: F401 - Django looks the library up here
