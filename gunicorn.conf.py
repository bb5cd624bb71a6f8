"""Gunicorn settings for the portal: ``gunicorn -c gunicorn.conf.py portal.wsgi``.

Every value can be changed from the environment, so the same file serves a small
VM, a container and the benchmark (tests/benchmarks/load.py):

- ``GUNICORN_BIND`` (default ``127.0.0.1:8000``; behind nginx on another host use
  the private address, e.g. ``10.0.0.11:8000``)
- ``WEB_CONCURRENCY`` worker processes (default ``2 × cores + 1``, at most 12:
  Django views are mostly CPU and database time, and every worker holds its own
  database connection)
- ``GUNICORN_TIMEOUT`` seconds before a stuck worker is restarted (default 30)
- ``GUNICORN_ACCESS_LOG`` file or ``-`` for stdout (default ``-``; empty turns it off)
"""

import gc
import logging
import multiprocessing
import os
import re
import sys

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or min(2 * multiprocessing.cpu_count() + 1, 12)
worker_class = "sync"  # nginx buffers slow clients, so sync workers are never held by them

# Import Django once in the master: workers fork with the code already loaded
# (faster start, shared memory). Connections are opened lazily after the fork.
preload_app = True

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5  # used by gthread/async workers; sync workers close after each response
# Recycle workers now and then so a slow leak cannot grow without bound (0: never).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Heartbeat files in RAM: a slow disk must not make the master kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Only nginx on these addresses may tell us the client's scheme/address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log without query strings, referers or client addresses: a query
# (/feedback/track/?ref=…&code=…, /search/?q=…) or a referer may carry personal
# data. %(U)s is the path alone; nginx keeps the client address for abuse work.
# Tracking links carry the resident's secret in the path itself; it is cut out too.
_SECRET_IN_PATH = re.compile(r"^(/feedback/track/)[^/]+")


class PortalLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = _SECRET_IN_PATH.sub(r"\1…", atoms["U"])
        return atoms


logger_class = PortalLogger


def when_ready(server):
    # The app is loaded (preload_app). Load the search dictionaries once here rather
    # than in every worker on its first search (and again after each recycle), then
    # move everything out of the garbage collector's sight, so workers' collections
    # skip it and the forked pages stay shared.
    from portal import chinese, personal_data

    chinese.warm_up()
    personal_data.warm_up()  # the name tagger residents' comments are masked with
    gc.freeze()


def worker_exit(server, worker):
    # A worker's heap (Wagtail, the jieba dictionary) took ~0.4 s to tear down at
    # exit, and the master starts the replacement only once it is gone: every
    # recycle left one worker serving alone (p99 600 ms under load). Close the
    # connections and flush the logs, then leave without the teardown.
    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "tongxin-portal"
