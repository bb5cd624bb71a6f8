from django import forms

from .vocab import AMENITIES, StationType


class StationFilterForm(forms.Form):
    """The GET form of the station finder; invalid fields are simply ignored."""

    amenity = forms.MultipleChoiceField(
        label="需要的设施", choices=AMENITIES, required=False, widget=forms.CheckboxSelectMultiple
    )
    type = forms.ChoiceField(
        label="站点类型", choices=[("", "全部类型"), *StationType.choices], required=False
    )
    community = forms.ChoiceField(label="社区", required=False)
    open = forms.BooleanField(label="只看现在开放的", required=False)
    lat = forms.CharField(label="纬度", required=False, max_length=30)
    lng = forms.CharField(label="经度", required=False, max_length=30)

    def __init__(self, *args, communities: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "全部社区"), *communities]
