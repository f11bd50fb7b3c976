"""Gunicorn's configuration for Tillsammans (ADR 33): `gunicorn -c deploy/gunicorn.conf.py`.

Each value can be set by the environment of the service (deploy/tillsammans-web.service reads
the same env file as the application). TLS ends at the city's proxy; this server listens on
the loopback or a private address only.
"""

import multiprocessing
import os
from pathlib import Path

wsgi_app = "tillsammans.wsgi:application"
bind = os.environ.get("TILLSAMMANS_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers: the application is synchronous Django, and its long work (PDFs, large
# imports) is moving to the background worker. Two to four per core, as gunicorn advises.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("WEB_THREADS", "1"))
# A request that runs longer than this is stopped; the annual report's PDF is the slowest
# page today (about 4 s at national scale).
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests, a bound on any slow growth of memory.
max_requests = 2000
max_requests_jitter = 200
# The workers' heartbeat in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108

# The proxy's X-Forwarded-* headers are read by the application itself (SECURE_PROXY_SSL_HEADER,
# TRUSTED_PROXY_COUNT: ADR 20); gunicorn trusts none of them.
forwarded_allow_ips = ""

# The access log never records a query string: a search for a person is a name in the URL,
# and a log must not become a register of persons. %(U)s is the path alone; the last field is
# the request's id, as in the application's own log lines (core.requests).
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
proc_name = "tillsammans-web"
