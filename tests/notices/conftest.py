import pytest

from tests.factories.notices import NoticeIndexPageFactory, ResidentReportIndexPageFactory


@pytest.fixture
def notice_index(home_page):
    return NoticeIndexPageFactory(parent=home_page)


@pytest.fixture
def report_index(home_page):
    return ResidentReportIndexPageFactory(parent=home_page)
