"""What the participation services announce, once stored.

``need_done`` is sent with ``sender=Need`` inside the transaction in which the resident
confirmed a need done, with ``need`` (its ``taker_kind``, ``taker_name`` and, once
accounts exist, its member). Points (积分) listen here, so this package imports nothing
of theirs; receivers that reach outside queue their work on commit.
"""

from django.dispatch import Signal

need_done = Signal()
