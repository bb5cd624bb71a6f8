"""A report sent through the API, checked by the residents' form's own rules
(``complaints.forms.ComplaintFields``): the same fields, limits and words. Only what the
spec sets differently differs: the description may be 4,000 characters long, and the
consent is the client's assertion that the resident agreed to the privacy notice."""

from django import forms

from portal.personal_data import ResidentTextField

from ..complaints.forms import ComplaintFields

DESCRIPTION_MAX = 4000


class Open311ReportForm(ComplaintFields):
    description = ResidentTextField(label="问题描述", min_length=10, max_length=DESCRIPTION_MAX)
    consent = forms.BooleanField(label="居民已阅读并同意个人信息保护告知")

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        # A community the client may not file for is "not a valid choice", as on the form.
        self.fields["community"].queryset = communities
        self.fields["community"].error_messages["required"] = (
            "请在 attribute[community] 中填写所在社区的代码（见 services/{service_code}）。"
        )
        self.fields["consent"].error_messages["required"] = (
            "请先向居民展示个人信息保护告知，取得同意后以 attribute[consent]=true 提交。"
        )


# The API's parameter for each form field, so an error names what the client sent.
PARAMETERS = {
    "kind": "service_code",
    "category": "service_code",
    "community": "attribute[community]",
    "grid": "attribute[grid]",
    "place": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "description": "description",
    "photos": "media",
    "name": "first_name",
    "phone": "phone",
    "notify": "attribute[notify]",
    "email": "email",
    "allow_public": "attribute[allow_public]",
    "consent": "attribute[consent]",
}


def error_descriptions(form: forms.Form) -> list[str]:
    """Each of the form's errors as ``param：message``; the messages are the form's own."""
    found = []
    for field, messages in form.errors.items():
        name = PARAMETERS.get(field, field)
        found.extend(f"{name}：{message}" if field != "__all__" else message for message in messages)
    return found
