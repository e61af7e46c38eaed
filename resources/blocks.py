"""StreamField blocks shared by the resource pages (bakerydemo's `base/blocks.py` habit): one place for what staff
can put on a page, each block with its own small template under templates/resources/blocks/."""

import re

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

# Rich text stays plain: no images or embeds (nothing is fetched from another host), no headings (the heading
# block gives pages one outline).
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
PHONE_CHARACTERS = re.compile(r"^[0-9 ()+\-.]+$")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        form_classname = "title"
        icon = "title"
        template = "resources/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=80, help_text="Optional: who said it.")

    class Meta:
        icon = "openquote"
        template = "resources/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("caution", "Caution")],
        default="info",
        help_text="Caution is for safety notes (medication, withdrawal, when to call for help).",
    )
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock()

    class Meta:
        icon = "warning"
        template = "resources/blocks/callout.html"


class NumberedStepsBlock(blocks.StructBlock):
    """A coping skill as steps to follow in order (urge surfing, grounding)."""

    title = blocks.CharBlock(required=False, max_length=120)
    steps = blocks.ListBlock(blocks.TextBlock(max_length=600), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "resources/blocks/steps.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False, max_length=200, help_text="Optional: what is in it.")

    class Meta:
        icon = "doc-full"
        template = "resources/blocks/document.html"


class OutsideLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label="Address")
    title = blocks.CharBlock(max_length=120)
    description = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "link-external"
        template = "resources/blocks/outside_link.html"


class ResourceBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock(max_length=120)
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    quote = QuoteBlock()
    callout = CalloutBlock()
    steps = NumberedStepsBlock()
    document = DocumentBlock()
    outside_link = OutsideLinkBlock()


class CrisisLineBlock(blocks.StructBlock):
    """One crisis line. These are the only copy of the numbers: the /help/ page, the line at the foot of every
    page, the composers, chat and error pages all read them from the published crisis page."""

    name = blocks.CharBlock(max_length=80, help_text="For example: 988 Suicide & Crisis Lifeline.")
    short_name = blocks.CharBlock(
        max_length=30, help_text="A few words for the short line on every page: “988 Lifeline”."
    )
    phone = blocks.CharBlock(max_length=30, help_text="As people dial it: 988, 1-800-662-4357, 911.")
    can_text = blocks.BooleanBlock(required=False, help_text="Tick if people can also send a text message to it.")
    chat_url = blocks.URLBlock(required=False, label="Online chat address")
    description = blocks.TextBlock(required=False, help_text="When to use it, and what happens when you call.")
    on_every_page = blocks.BooleanBlock(
        required=False, default=True, help_text="Show it in the short line on every page, composers and chat."
    )

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        phone = value.get("phone", "")
        if not PHONE_CHARACTERS.match(phone) or not any(ch.isdigit() for ch in phone):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "phone": ValidationError("Please write the number with digits (spaces and dashes are fine).")
                }
            )
        return value
