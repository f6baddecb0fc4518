"""Request-wide rules: which requests run in a transaction, and that no answer holding patient
data is kept by a browser's cache or a proxy.

Requests that may write run in one transaction; reads run in autocommit.

Django's ``ATOMIC_REQUESTS`` puts every view in a transaction, GETs included. On SQLite a transaction
takes the database's one write lock when it begins (``IMMEDIATE``, so that two transactions never
deadlock upgrading a read lock), so every page view queued for the write lock and held it while it
rendered: readers and writers went through one at a time, and a busy page could keep a clinician's
submission waiting. A read needs no transaction: it sees committed data (in WAL mode without
waiting for the writer), and the few writes a read makes — the audit entry of the read, the sign-in
session's expiry — are each their own short transaction.

So only POST, PUT, PATCH and DELETE requests run in a transaction, exactly as ``ATOMIC_REQUESTS``
ran them: committed when the view returns, rolled back when it raises. A view that takes a POST but
writes nothing (the live tally) opts out with Django's own ``transaction.non_atomic_requests``.

When the view raises, its writes are rolled back at once, to a savepoint taken before it ran, and
the transaction stays usable: another middleware may answer the exception with a page of its own
that reads the database (allauth asks a signed-in user to sign in again that way). Marking the whole
transaction for rollback instead made every such query fail, and the answer was a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# While the request's own transaction is open: how deep it is among the connection's atomic blocks,
# and the savepoint taken before the view ran.
_request_block: ContextVar[tuple[int, str] | None] = ContextVar("request_block", default=None)


class AtomicWritesMiddleware:
    """``ATOMIC_REQUESTS`` for the requests that may write; put last in ``MIDDLEWARE`` so that, like
    ``ATOMIC_REQUESTS``, the transaction holds the view and nothing the other middleware does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or _opted_out(request):
            return self.get_response(request)
        with transaction.atomic():
            depth = len(transaction.get_connection().atomic_blocks)
            token = _request_block.set((depth, transaction.savepoint()))
            try:
                return self.get_response(request)
            finally:
                _request_block.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Django turns the view's exception into a response before it reaches __call__, so the
        # view's writes are undone here, while the exception is still known; only when the request's
        # block is the innermost open, never a transaction around the request's own. Rolling back to
        # the savepoint leaves the transaction in a known-good state, so it is no longer marked.
        block = _request_block.get()
        if block is not None and block[0] == len(transaction.get_connection().atomic_blocks):
            transaction.savepoint_rollback(block[1])
            transaction.set_rollback(False)


def _opted_out(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return DEFAULT_DB_ALIAS in getattr(match.func, "_non_atomic_requests", set())


# A response marked so (a private calendar feed, which its clients expect to say ``private``) keeps
# it: it is no-store as well, and adds that it is one person's.
PRIVATE_NO_STORE = "private, no-store"


class NoStoreMiddleware:
    """Mark every response but a static file ``Cache-Control: no-store`` (and ``Pragma: no-cache``
    for old HTTP/1.0 caches), so a shared computer's browser or a proxy on the way keeps no copy
    of a patient's page, an API or FHIR answer, or the patient's own link page.

    Pages, API answers and the patient's pages all carry patient data or may, so no path is left
    out but the static files. WhiteNoise, placed before this middleware, answers those itself with
    its own caching headers; the path check keeps them cacheable when something else serves them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = urlsplit(settings.STATIC_URL or "/static/").path

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(self.static_prefix)
            and response.get("Cache-Control") != PRIVATE_NO_STORE
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
