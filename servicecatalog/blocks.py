from wagtail import blocks


class ProcessStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="步骤名称", max_length=40, help_text="如：申请、受理、审核、办结")
    detail = blocks.TextBlock(label="具体做法", required=False)
    who = blocks.CharBlock(
        label="办理方", max_length=60, required=False, help_text="如：社区、街道、区民政局"
    )

    class Meta:
        icon = "list-ol"
        label = "办理步骤"


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="问题", max_length=120)
    answer = blocks.TextBlock(label="解答")

    class Meta:
        icon = "help"
        label = "常见问题"
