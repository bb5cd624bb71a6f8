"""Demo search promotions: the page editors want first for the commonest queries.

Runs last in ``load_initial_data`` (``portal`` is the last installed app), when the
notices and service catalogue demo pages exist. Pages are found by title; a missing
one is skipped, so the loader works with any subset of apps. Idempotent.
"""

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from portal import chinese

# (query, page title, why this page answers it)
PROMOTIONS = [
    ("低保", "最低生活保障申请", "申请条件、材料和办理流程"),
    ("居住证", "居住证申领", "非本地户籍居民办理居住证"),
    ("红色驿站", "红色驿站", "全部站点：现在开放、离我最近"),
    ("医保", "城乡居民基本医疗保险参保登记", "每年集中缴费期和参保方式"),
]


def load(stdout=None) -> int:
    created = 0
    for query_string, title, description in PROMOTIONS:
        page = Page.objects.live().filter(title=title).first()
        if page is None:
            continue
        query = Query.get(chinese.normalize(query_string))
        _, was_created = SearchPromotion.objects.update_or_create(
            query=query, page=page, defaults={"description": description, "sort_order": 0}
        )
        created += was_created
    if stdout:
        stdout.write(f"  搜索推荐 {SearchPromotion.objects.count()} 条")
    return created
