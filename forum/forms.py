"""Forms parse input only; the services decide and write."""

from django import forms
from django.urls import reverse

from members.audience import audience_groups_error
from members.models import ProgrammeGroup

from .models import BODY_MAX, CW_MAX, TITLE_MAX, Category, Reaction, Subscription


def _body_help() -> str:
    return (
        "You can use Markdown: *italic*, **bold**, lists, &gt; quotes and `code`. "
        "Mention someone with @ and their name, writing spaces as underscores (@Sam_R), "
        "or in brackets (@[Sam R]); only members who can see this topic are told."
    )


def _body_field(label: str, *, rows: int, verb: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=_body_help(),
        error_messages={
            "required": f"Please write something before {verb}.",
            "max_length": f"Please keep a post to {BODY_MAX:,} characters or fewer.",
        },
    )


class TopicForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        error_messages={
            "required": "Please give your topic a title.",
            "max_length": f"Please keep the title to {TITLE_MAX} characters or fewer.",
        },
    )
    content_warning = forms.CharField(
        label="Content warning (optional)",
        max_length=CW_MAX,
        required=False,
        help_text="If your post touches on something others may want to prepare for, name it here "
        "(for example “relapse”). Your post stays folded until a reader opens it.",
    )
    body = _body_field("Your post", rows=10, verb="posting")


class ReplyForm(forms.Form):
    body = _body_field("Your reply", rows=8, verb="posting")
    content_warning = forms.CharField(
        label="Content warning (optional)",
        max_length=CW_MAX,
        required=False,
        help_text="Your reply stays folded behind this note until a reader opens it.",
    )
    quoted_post = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditPostForm(forms.Form):
    body = _body_field("Your post", rows=10, verb="saving")
    content_warning = forms.CharField(label="Content warning (optional)", max_length=CW_MAX, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput)


class ReactionForm(forms.Form):
    """One form per post: each button sends "+kind" to add that reaction or "-kind" to take it back."""

    reaction = forms.ChoiceField(
        choices=[(f"{sign}{kind}", label) for kind, label in Reaction.Kind.choices for sign in "+-"]
    )

    @property
    def kind(self) -> str:
        return self.cleaned_data["reaction"][1:]

    @property
    def on(self) -> bool:
        return self.cleaned_data["reaction"][0] == "+"


class SubscriptionForm(forms.Form):
    level = forms.ChoiceField(choices=Subscription.Level.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the forum", max_length=200, required=False)


class CategoryForm(forms.ModelForm):
    programme_groups = forms.ModelMultipleChoiceField(
        queryset=ProgrammeGroup.objects.filter(for_teens=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Programme groups",
        help_text="Only for the “Selected programme groups” audience.",
    )

    class Meta:
        model = Category
        fields = ["name", "description", "audience", "programme_groups", "position", "locked", "slow_mode_seconds"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "audience": forms.RadioSelect}
        labels = {"slow_mode_seconds": "Slow mode (seconds)", "position": "Order", "locked": "Locked"}

    def clean(self):
        data = super().clean()
        error = audience_groups_error(data.get("audience"), data.get("programme_groups"))
        if error:
            self.add_error("programme_groups", error)
        return data


class PostModerationForm(forms.Form):
    """A moderator's action on one post from the topic page. The reason is checked by moderation's services
    (one message for every place a moderator acts), so it is not required here."""

    action = forms.ChoiceField(
        choices=[
            ("hide", "Hide"),
            ("remove", "Remove"),
            ("restore", "Restore"),
            ("content_warning", "Content warning"),
        ]
    )
    reason = forms.CharField(required=False, max_length=2000)
    warning = forms.CharField(required=False, max_length=CW_MAX)


class TopicModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[("lock", "Lock"), ("unlock", "Unlock"), ("move", "Move")])
    reason = forms.CharField(required=False, max_length=2000)
    category_id = forms.IntegerField(required=False)


def quote_text(post) -> str:
    """A reply's opening quote, linked to its source post."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    url = reverse("forum:post", args=[post.pk])
    name = post.author.display_name.replace("_", "\\_")
    return f"> **{name}** [wrote]({url}):\n>\n{quoted}\n\n"
