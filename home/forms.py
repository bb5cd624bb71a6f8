"""The admin form of pages that belong to one community (reports to residents, stations).

Its ``community`` (and ``grid``) choices are narrowed to what the editing user may
choose. ``home`` cannot know staff scopes (they live in ``feedback``, above it), so the
narrowing comes through a hook, as the home page's sections do::

    @hooks.register("page_community_choices")
    def communities(user):
        return Community.objects.filter(...)  # or None: not narrowed

Without such a hook every community is offered.
"""

from django import forms
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm

COMMUNITY_CHOICES_HOOK = "page_community_choices"


class CommunityPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [self.fields[name] for name in ("community", "grid") if name in self.fields]
        for field in fields:
            # A plain list instead of the snippet chooser, whose modal would offer every
            # community; there are a few dozen at most. Setting the queryset again fills it.
            field.widget = forms.Select()
            field.queryset = field.queryset
        if self.for_user is None or "community" not in self.fields:
            return
        for hook in hooks.get_hooks(COMMUNITY_CHOICES_HOOK):
            communities = hook(self.for_user)
            if communities is None:
                continue
            self.fields["community"].queryset = self.fields["community"].queryset.filter(
                pk__in=communities.values("pk")
            )
            only = list(self.fields["community"].queryset[:2])
            if len(only) == 1 and not self.instance.community_id:
                self.initial["community"] = only[0].pk  # a worker of one community
            if "grid" in self.fields:
                self.fields["grid"].queryset = self.fields["grid"].queryset.filter(
                    community__in=communities.values("pk")
                )
