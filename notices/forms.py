"""The GET filter forms of the public lists. Bad values are dropped, never a 500."""

from django import forms

from home.models import Community

from .models import NoticeCategory, Validity


class NoticeFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label="分类",
        queryset=NoticeCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="全部",
    )
    year = forms.TypedChoiceField(label="年份", coerce=int, required=False, empty_value=None)
    validity = forms.ChoiceField(label="效力", choices=[("", "全部"), *Validity.choices], required=False)
    community = forms.ModelChoiceField(
        label="适用社区",
        queryset=Community.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="全部",
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部"), *[(y, f"{y}年") for y in years]]
        # One query per select when the form renders, none per option.
        self.fields["community"].queryset = Community.objects.only("id", "name", "slug").order_by("name")

    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored (and shown as an error)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ReportFilterForm(forms.Form):
    community = forms.ModelChoiceField(
        label="社区",
        queryset=Community.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="全部社区",
    )

    def filters(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
