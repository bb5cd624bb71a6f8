"""Development: the SMS is printed (address masked), and with ``NOTIFY_OUTBOX`` set also
appended to that file as a JSON line, so a developer or a browser test can follow the link.

It prints the tracking link, a secret: production sends through a provider
(``feedback.W010`` warns when it does not).
"""

import json
import sys
import uuid

from django.conf import settings

from portal.personal_data import mask_phone


class ConsoleSmsBackend:
    def send(self, *, address: str, message) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        sys.stdout.write(f"[短信 {message_id}] 发往 {mask_phone(address)}：{message.text}\n")
        sys.stdout.flush()
        outbox = getattr(settings, "NOTIFY_OUTBOX", "")
        if outbox:
            record = {
                "id": message_id,
                "to": mask_phone(address),
                "step": message.step,
                "reference": message.reference,
                "link": message.link,
                "text": message.text,
            }
            with open(outbox, "a", encoding="utf-8") as file:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return message_id
