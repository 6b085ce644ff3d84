"""Production gunicorn settings (see docs/deploy.md). Every value can be overridden by the
environment variable named next to it."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers: an open page's live requests wait on the server for a change (long polling,
# docs/live-updates.md), each holding one thread of its worker while it waits.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A waiting request costs a thread's stack and nothing else (no CPU, no database connection), so a
# worker can hold many: 128 threads, of which at most LIVE_MAX_WAITS wait and the rest (32 by
# default) always serve ordinary requests. A page has one or two live parts (the bell, a discussion);
# size threads as (open pages x 2 / workers) + 32 on a busy host.
threads = int(os.environ.get("GUNICORN_THREADS", 128))
os.environ.setdefault("LIVE_MAX_WAITS", str(max(1, threads - int(os.environ.get("GUNICORN_FREE_THREADS", 32)))))
# Connections a worker keeps, waiting ones and idle keep-alive ones included.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 1000))
# The worker's heartbeat, not a request limit: a live request waits up to LIVE_WAIT_S (25 s) on its own.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Longer than the pause between two live requests of a page, so it keeps its connection.
keepalive = 5
# Restart workers now and then so a slow leak can never take a host down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # set it empty to turn the access log off
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "wsgi:app"


def post_worker_init(worker):
    # Waiting live requests end (304, the page asks again elsewhere) as soon as this worker is told to
    # stop or restart, instead of holding its graceful shutdown for up to 25 s.
    from app.collab import live

    if hasattr(worker.wsgi, "app_context"):  # not gunicorn's stand-in app for a failed import
        live.hub_for(worker.wsgi).should_stop = lambda: not worker.alive
