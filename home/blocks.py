from wagtail import blocks

ICON_CHOICES = [
    ("guide", "办事指南"),
    ("station", "红色驿站"),
    ("notice", "通知公告"),
    ("report", "向居民报告"),
    ("feedback", "我要反映"),
    ("rate", "我要评议"),
    ("track", "进度查询"),
    ("link", "链接"),
]


class QuickEntryBlock(blocks.StructBlock):
    label = blocks.CharBlock(label="名称", max_length=12)
    hint = blocks.CharBlock(label="说明", max_length=24, required=False)
    icon = blocks.ChoiceBlock(label="图标", choices=ICON_CHOICES, default="link")
    url = blocks.CharBlock(label="链接地址", help_text="站内路径，如 /services/", max_length=200)

    class Meta:
        icon = "link"
        label = "快捷入口"
        template = "home/blocks/quick_entry.html"
