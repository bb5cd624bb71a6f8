from django import forms

from .vocab import AMENITIES, StationType

_COORDINATE = {"maxlength": 30, "inputmode": "decimal", "autocomplete": "off"}


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
    # Read by geo.parse_position, which says itself when a position is not a place; the
    # form only limits typing (a length error here would mark the field with no message).
    lat = forms.CharField(label="纬度", required=False, widget=forms.TextInput(attrs=_COORDINATE))
    lng = forms.CharField(label="经度", required=False, widget=forms.TextInput(attrs=_COORDINATE))

    def __init__(self, *args, communities: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "全部社区"), *communities]
