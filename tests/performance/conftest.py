import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo site, indexed for search, once for the module, rolled back afterwards so
    no other test sees it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_initial_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
        # Publishing indexes through a task run on commit, which this transaction never reaches.
        call_command("update_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)
