"""Search that answers what a resident came to do, shown above the results.

Residents type needs, not titles: 充电 means "where can I charge my phone now", 路灯 means
"the street light is broken", 网格员 means "who is my grid worker". ``INTENTS`` is the
table of those words and where each leads; it is data, kept here in one place:

- ``stations``: the station finder, with the amenity filter set (``value`` is an amenity
  code of ``servicecatalog.vocab.AMENITIES`` or a station type; empty for any station);
- ``report``: 我要反映 with the category chosen (``value`` is the category's name);
- ``grid_workers``: the 我的网格员 lookup (``/communities/``).

``home`` does not know where the finder or the report form live, so the app that owns a
target answers for it through the ``search_intent_targets`` hook::

    @hooks.register(INTENT_TARGETS_HOOK)
    def station_targets():
        return {"stations": station_answers}  # (values: list[str]) -> list[IntentAnswer]

A word matches when it is one of the query's words (after synonyms and pinyin) or begins
one, so 加装电梯 is not taken for 电梯 and 垃圾没人清运 is taken for 垃圾.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from django.urls import reverse
from wagtail import hooks

from portal import chinese

INTENT_TARGETS_HOOK = "search_intent_targets"


@dataclass(frozen=True)
class Intent:
    words: tuple[str, ...]
    target: str
    value: str = ""


@dataclass(frozen=True)
class IntentAnswer:
    title: str  # what the answer is, e.g. 有“充电”的红色驿站
    text: str  # one sentence on what the link does
    url: str
    action: str  # the button's words
    kind: str  # the target, for the answer's look


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


INTENTS: tuple[Intent, ...] = (
    # Places and amenities → the station finder.
    Intent(_words("驿站 红色驿站 服务站 爱心驿站 户外劳动者之家 蓄能站 红色蓄能站 歇脚 避雨"), "stations"),
    Intent(_words("党群服务中心 党群中心"), "stations", "party_center"),
    Intent(_words("休息 休息室 歇歇脚"), "stations", "rest"),
    Intent(_words("饮水 喝水 热水 开水 饮用水"), "stations", "water"),
    Intent(_words("充电 充电宝 手机充电 电动车充电 换电"), "stations", "charging"),
    Intent(_words("热饭 微波炉 加热 热饭菜"), "stations", "microwave"),
    Intent(_words("厕所 如厕 卫生间 洗手间 公厕"), "stations", "toilet"),
    Intent(_words("药箱 急救箱 创可贴"), "stations", "first_aid"),
    Intent(_words("维修工具 打气 打气筒 修车"), "stations", "tools"),
    Intent(_words("雨具 雨伞 借伞 雨衣"), "stations", "umbrella"),
    Intent(_words("无线网 上网"), "stations", "wifi"),
    Intent(_words("纳凉 取暖 避暑"), "stations", "cooling"),
    # Problems → 我要反映 with the category chosen.
    Intent(
        _words("垃圾 垃圾分类 垃圾桶 垃圾清运 卫生死角 污水 臭味 异味 占道 占道经营 乱摆摊"),
        "report",
        "环境卫生",
    ),
    Intent(_words("路灯 井盖 路面 坑洼 破损路面 积水 人行道"), "report", "道路设施"),
    Intent(_words("电梯故障 电梯坏了 门禁 物业 物业不作为"), "report", "物业管理"),
    Intent(_words("噪音 噪声 扰民 施工噪音 广场舞"), "report", "噪音扰民"),
    Intent(_words("停车 乱停车 乱停乱放 占用车位 车位 消防通道 共享单车"), "report", "停车管理"),
    Intent(_words("漏水 渗水 邻里纠纷 楼道堆物"), "report", "邻里纠纷"),
    Intent(_words("诈骗 可疑人员 推销"), "report", "治安防范"),
    # Who to call → the grid-worker lookup.
    Intent(
        _words("网格员 我的网格员 网格长 社区网格员 社区电话 居委会电话 社区工作人员 找社区"), "grid_workers"
    ),
)


def intent_words() -> list[str]:
    """Every word of the table (pinyin is derived from them too)."""
    return [word for intent in INTENTS for word in intent.words]


@cache
def _table() -> dict[str, Intent]:
    return {chinese.normalize(word): intent for intent in INTENTS for word in intent.words}


def _intent_of(word: str, table: dict[str, Intent]) -> Intent | None:
    """The intent of a query word: the word itself, or the longest table word it starts
    with (the query parser glues a trailing character on: 路灯坏了 → 路灯坏)."""
    if word in table:
        return table[word]
    for end in range(len(word) - 1, 1, -1):
        if word[:end] in table:
            return table[word[:end]]
    return None


def matching_intents(query: str, terms: Sequence[chinese.QueryTerm]) -> list[Intent]:
    """The table's intents the query asks for, in the order its words come."""
    table = _table()
    words = [chinese.normalize(query).replace(" ", "")]
    words += [form for term in terms for form in (term.reading, *term.forms) if form]
    found = [intent for word in words if (intent := _intent_of(word, table))]
    return list(dict.fromkeys(found))


def grid_worker_answers(values: list[str]) -> list[IntentAnswer]:
    return [
        IntentAnswer(
            title="查找我的网格员",
            text="选择您所在的社区和网格，查看网格员的姓名和工作电话，以及社区党群服务中心。",
            url=reverse("communities"),
            action="查网格员电话",
            kind="grid_workers",
        )
    ]


def _targets() -> dict[str, Callable[[list[str]], list[IntentAnswer]]]:
    targets: dict[str, Callable] = {"grid_workers": grid_worker_answers}
    for register in hooks.get_hooks(INTENT_TARGETS_HOOK):
        targets.update(register())
    return targets


def intent_answers(query: str, terms: Sequence[chinese.QueryTerm], *, limit: int = 3) -> list[IntentAnswer]:
    """What to offer above the results. Each target gets the values of all its intents at
    once (充电 热饭 → one finder link with both amenities)."""
    values: dict[str, list[str]] = {}
    for intent in matching_intents(query, terms):
        values.setdefault(intent.target, [])
        if intent.value and intent.value not in values[intent.target]:
            values[intent.target].append(intent.value)
    targets = _targets()
    answers: list[IntentAnswer] = []
    for target, target_values in values.items():
        if target in targets:
            answers += targets[target](target_values)
    return answers[:limit]
