"""Body blocks of a notice: what an official document needs, nothing more."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images import blocks as image_blocks

TABLE_OPTIONS = {"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False}


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = "小标题"
        template = "notices/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="引文")
    source = blocks.CharBlock(label="出处", required=False, max_length=100)

    class Meta:
        icon = "openquote"
        label = "引文"
        template = "notices/blocks/quote.html"


class ImageBlock(image_blocks.ImageBlock):
    """Wagtail's image block with its chooser labelled: Wagtail leaves it "Image", from the
    field name, untranslated. Deconstructs as Wagtail's, so migrations do not change."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        self.child_blocks["image"].label = "图片"


class NoticeBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock(max_length=60)
    paragraph = blocks.RichTextBlock(
        label="段落", features=["bold", "italic", "link", "document-link", "ol", "ul"]
    )
    image = ImageBlock(label="图片", template="notices/blocks/image.html")
    table = TableBlock(label="表格", table_options=TABLE_OPTIONS, template="notices/blocks/table.html")
    quote = QuoteBlock()
