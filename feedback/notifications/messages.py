"""What a notification says: short, the reference and the tracking link, no personal data.

SMS providers send only approved templates: each step has its own template code, with the
variables ``ref`` (the reference), ``token`` (the secret of the tracking link, which the
approved text places after the site's address) and, when a report is not accepted,
``reason`` (the reason's label, never a moderator's note). The same words make the
console message and the e-mail.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from ..complaints.models import Complaint, RejectReason
from ..complaints.signals import PublicStep

SUMMARY = {
    PublicStep.DISPATCHED: "已受理，并派给承办单位办理",
    PublicStep.IN_PROGRESS: "承办单位已回复，正在处理",
    PublicStep.EXTENDED: "办结时限已延期，原因见进度页",
    PublicStep.RESOLVED: "已办结并答复，请查看答复并评价",
    PublicStep.REOPENED: "已按您的评价重新交办",
    PublicStep.REJECTED: "未予受理（{reason}）",
}


# What a neighbour who pressed 我也遇到 is told (the public page has the rest).
FOLLOWER_SUMMARY = {
    PublicStep.DISPATCHED: "已受理，并派给承办单位办理",
    PublicStep.IN_PROGRESS: "承办单位正在处理",
    PublicStep.EXTENDED: "办结时限已延期",
    PublicStep.RESOLVED: "已办结",
    PublicStep.REOPENED: "已重新交办",
    PublicStep.REJECTED: "未予受理",
}
FOLLOWER_TEMPLATE = "follower"


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_link(complaint: Complaint) -> str:
    return _absolute(reverse("feedback:public_detail", args=[complaint.public_code]))


def tracking_link(complaint: Complaint) -> str:
    """The resident's own link, absolute (the base URL mails to staff use too)."""
    return _absolute(reverse("feedback:track_token", args=[complaint.tracking_token]))


@dataclass(frozen=True)
class Message:
    step: str
    reference: str
    token: str
    link: str
    reason: str = ""
    follower: bool = False  # to a neighbour who pressed 我也遇到: the public page, no reference

    @classmethod
    def for_step(cls, *, complaint: Complaint, step: str, follower: bool = False) -> "Message":
        if follower:
            return cls(step=step, reference="", token="", link=public_link(complaint), follower=True)
        reason = ""
        if step == PublicStep.REJECTED and complaint.reject_reason:
            reason = RejectReason(complaint.reject_reason).label
        return cls(
            step=step,
            reference=complaint.reference,
            token=complaint.tracking_token,
            link=tracking_link(complaint),
            reason=reason,
        )

    @property
    def template(self) -> str:
        """The key of the approved template in ``NOTIFY_SMS_TEMPLATES``."""
        return FOLLOWER_TEMPLATE if self.follower else self.step

    @property
    def summary(self) -> str:
        if self.follower:
            return FOLLOWER_SUMMARY[PublicStep(self.step)]
        return SUMMARY[PublicStep(self.step)].format(reason=self.reason or "详见进度页")

    @property
    def template_params(self) -> dict[str, str]:
        if self.follower:  # the approved text: 您关注的居民反映${step}，详见 <site>/feedback/public/${code}/
            return {"step": self.summary, "code": self.link.rstrip("/").rsplit("/", 1)[-1]}
        params = {"ref": self.reference, "token": self.token}
        if self.step == PublicStep.REJECTED:
            params["reason"] = self.reason or "详见进度页"
        return params

    @property
    def text(self) -> str:
        sign = settings.NOTIFY_SMS_SIGN_NAME
        if self.follower:
            return f"【{sign}】您关注的居民反映（我也遇到）{self.summary}。详见：{self.link}"
        return f"【{sign}】您反映的问题（编号 {self.reference}）{self.summary}。查看进度：{self.link}"

    @property
    def subject(self) -> str:
        return f"【{settings.NOTIFY_SMS_SIGN_NAME}】您的反映 {self.reference}：{PublicStep(self.step).label}"
