"""E-mail through Django's mail (``EMAIL_BACKEND``, the same server as staff mails)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid

from . import DeliveryError


class MailBackend:
    def send(self, *, address: str, message) -> str:
        message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None)
        body = (
            f"您好！\n\n您反映的问题（编号 {message.reference}）{message.summary}。\n\n"
            f"查看办理进度（您的专属链接，请勿转发）：\n{message.link}\n\n"
            "本邮件由系统发送，请勿直接回复。"
        )
        mail = EmailMessage(
            subject=message.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"Message-ID": message_id},
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError("smtp_recipient_refused", retryable=False) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"smtp_{type(error).__name__}", retryable=True) from error
        return message_id.strip("<>")
