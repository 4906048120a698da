"""The suite's own promise (tests/conftest.py, ``live_server_done_serving``): a request the
live server is still serving when a test ends finishes before the database is emptied.

Without it, on SQLite, the request shares the test's connection with Django's flush: the
flush fails, or the request writes into the next test's database. The two tests run in
this order (pytest keeps a file's order): the first leaves a slow request behind, the
second finds that it finished and that its row was emptied with the rest.
"""
import threading
import urllib.request

from django.contrib.auth.models import Group
from django.core.signals import request_started

late_request = {"wrote": threading.Event()}


def test_a_test_ends_while_the_server_still_serves_its_request(live_server):
    release = threading.Event()

    def slow_request_that_writes(**kwargs):
        request_started.disconnect(dispatch_uid="tests.slow_request")
        release.set()
        # Still at work when the test has ended: its teardown must wait for it.
        threading.Event().wait(1.0)
        Group.objects.create(name="written by a late request")
        late_request["wrote"].set()

    request_started.connect(slow_request_that_writes, weak=False,
                            dispatch_uid="tests.slow_request")
    threading.Thread(target=lambda: urllib.request.urlopen(live_server.url + "/", timeout=30),
                     daemon=True).start()
    assert release.wait(timeout=30), "the live server never started the request"


def test_the_late_request_finished_before_the_database_was_emptied(transactional_db):
    assert late_request["wrote"].is_set(), "the late request was cut off by the teardown"
    assert not Group.objects.filter(name="written by a late request").exists()
