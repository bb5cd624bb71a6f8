"""The GET filter forms of the public lists. Bad values are dropped, never a 500.

The caller passes the choices (categories, communities, years), used both to render the
selects and to validate what came in the URL.
"""

from django import forms

from .vocab import Validity


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

    def __init__(self, *args, categories, communities, years: list[int], **kwargs):
        """``categories`` and ``communities`` are (slug, name) pairs."""
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "全部"), *categories]
        self.fields["year"].choices = [("", "全部"), *[(y, f"{y}年") for y in years]]
        self.fields["community"].choices = [("", "全部"), *communities]


class ReportFilterForm(_FilterForm):
    community = forms.ChoiceField(label="社区", required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "全部社区"), *communities]
