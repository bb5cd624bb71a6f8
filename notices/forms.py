"""The GET filter forms of the public lists. Bad values are dropped, never a 500.

Choices are read once per form and used both to render the selects and to validate
what came in the URL.
"""

from django import forms

from home.models import Community

from .models import NoticeCategory, Validity


def _community_choices(empty_label: str) -> list[tuple[str, str]]:
    communities = Community.objects.order_by("street__name", "name").values_list("slug", "name")
    return [("", empty_label), *communities]


class _FilterForm(forms.Form):
    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored (and shown as an error)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class NoticeFilterForm(_FilterForm):
    category = forms.ChoiceField(label="分类", required=False)
    year = forms.TypedChoiceField(label="年份", coerce=int, required=False, empty_value=None)
    validity = forms.ChoiceField(label="效力", choices=[("", "全部"), *Validity.choices], required=False)
    community = forms.ChoiceField(label="适用社区", required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        categories = NoticeCategory.objects.values_list("slug", "name")
        self.fields["category"].choices = [("", "全部"), *categories]
        self.fields["year"].choices = [("", "全部"), *[(y, f"{y}年") for y in years]]
        self.fields["community"].choices = _community_choices("全部")


class ReportFilterForm(_FilterForm):
    community = forms.ChoiceField(label="社区", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = _community_choices("全部社区")
