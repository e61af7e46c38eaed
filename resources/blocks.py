from wagtail import blocks


class ResourceBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", max_length=120)
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    callout = blocks.StructBlock(
        [("title", blocks.CharBlock(max_length=80)), ("text", blocks.TextBlock())],
        icon="warning",
    )
