"""Shared helpers of the benchmarks (not a benchmark itself): Vietnamese comment texts, bulk
building of a consultation world, percentiles, and plain-text tables."""

from __future__ import annotations

import http.client
import os
import re
import resource
import statistics
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from drafter.model import Node
from drafter.normalize import fold_diacritics
from drafter.storage import Store
from drafter.synthetic import (  # noqa: F401  (re-exported for the benchmarks)
    GIVEN,
    NAMES,
    PROVINCES,
    comment_text,
    edit_words,
    explanation,
    question_text,
)

# A fixed werkzeug scrypt hash of "correct horse battery" (the tests' password), so that no
# setup pays ~50 ms of scrypt per account; accounts.authenticate accepts it as is.
PASSWORD = "correct horse battery"
PASSWORD_HASH = (
    "scrypt:32768:8:1$GZ7dIBtU2GMwoel9$0d5a9e52aa293d7fca740cc427abd44ae47fd78ba0b6aac1cffc3019a72d5558"
    "0fc79d8402a6a0de3fd79baa34cad0d160257a6de58ae9cb106b0953090a62ed"
)


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def open_window(days_before: int = 1, days_after: int = 30) -> tuple[str, str]:
    now = datetime.now(UTC)
    return iso(now - timedelta(days=days_before)), iso(now + timedelta(days=days_after))


def add_units(
    store: Store, count: int, delegates: int, *, prefix: str = "u"
) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """Create `count` units each with `delegates` delegates (the first is the lead), all with
    PASSWORD; return (unit id, unit name, [(user id, username), …]).  One transaction."""
    now = iso(datetime.now(UTC))
    out = []
    with store.transaction():
        for u in range(count):
            province = PROVINCES[u % len(PROVINCES)]
            suffix = f" ({u // len(PROVINCES) + 1})" if u >= len(PROVINCES) else ""
            name = f"Tỉnh ủy {province}{suffix}"
            unit_id = store.create_unit(f"{prefix}{u:03d}", name, "province")
            users = []
            for d in range(delegates):
                username = f"{prefix}{u:03d}-{d}"
                display = f"{GIVEN[(u + d) % len(GIVEN)]} {NAMES[(u * 3 + d) % len(NAMES)]}"
                user_id = store.create_user(
                    username,
                    display,
                    "delegate",
                    unit_id=unit_id,
                    is_lead=d == 0,
                    password_hash=PASSWORD_HASH,
                    now=now,
                )
                users.append((user_id, username))
            out.append((unit_id, name, users))
    return out


def targets(nodes: Iterable[Node]) -> list[tuple[Node, Node]]:
    """Return (node, its article) for every article, clause and point of a tree."""
    out = []
    for top in nodes:
        for article in top.walk():
            if article.kind != "article":
                continue
            for node in article.walk():
                if node.kind in ("article", "clause", "point"):
                    out.append((node, article))
    return out


def bulk_comments(store: Store, rows: Sequence[tuple]) -> list[int]:
    """Insert comments the way Store.add_comment does (comment, first revision, search
    index row) but with executemany; `rows` are (consultation id, unit id, user id, node id,
    article id, kind, text, proposed text, created at).  Return the new comment ids."""
    conn = store.conn
    with store.transaction():
        first_comment = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM comment").fetchone()[0]
        first_revision = conn.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM comment_revision"
        ).fetchone()[0]
        ids = list(range(first_comment, first_comment + len(rows)))
        conn.executemany(
            "INSERT INTO comment (id, consultation_id, unit_id, node_id, article_id, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(i, r[0], r[1], r[3], r[4], r[2], r[8]) for i, r in zip(ids, rows, strict=True)],
        )
        conn.executemany(
            "INSERT INTO comment_revision (id, comment_id, kind, text, proposed_text, author_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (first_revision + n, i, r[5], r[6], r[7], r[2], r[8])
                for n, (i, r) in enumerate(zip(ids, rows, strict=True))
            ],
        )
        conn.executemany(
            "INSERT INTO search_index (body, kind, ref_id, version_id) "
            "VALUES (?, 'comment', ?, NULL)",
            [(fold_diacritics(f"{r[6]}\n{r[7] or ''}"), i) for i, r in zip(ids, rows, strict=True)],
        )
        live = Counter((r[0], r[1]) for r in rows)  # as add_comment counts them
        conn.executemany(
            "UPDATE consultation_unit SET live_comments = live_comments + ?, "
            "comments_created = comments_created + ? WHERE consultation_id = ? AND unit_id = ?",
            [(n, n, consultation, unit) for (consultation, unit), n in live.items()],
        )
    return ids


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the `fraction` quantile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Return rows as an aligned text table; numbers right-aligned."""
    rows = [[_cell(v) for v in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells, numeric):
        return "  ".join(
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    numeric = [bool(rows) and all(_numeric(r[i]) for r in rows) for i in range(len(headers))]
    out = [line(headers, numeric), line(["-" * w for w in widths], [False] * len(widths))]
    out.extend(line(r, numeric) for r in rows)
    return "\n".join(out)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,.]+[a-z%×x]*|nan|—|", text))


def rss_mib() -> float:
    """Return this process's current resident set size in MiB (Linux /proc)."""
    with open(f"/proc/{os.getpid()}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def maxrss_mib() -> float:
    """Return this process's peak resident set size so far (ru_maxrss, KiB on Linux) in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class HttpClient:
    """A keep-alive HTTP/1.1 client for the local server (http.client) with a cookie jar.

    GETs are retried once on a connection the server closed; POSTs never are (a retried POST
    could store a comment twice)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 120) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        body = urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt or method != "GET":
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.headers, data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


_CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')


def csrf_token(page: bytes) -> str:
    """Return the CSRF token of the first form of an HTML page."""
    found = _CSRF.search(page)
    if found is None:
        raise RuntimeError("no csrf_token in the page")
    return found.group(1).decode()


def http_login(client: HttpClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through /login (CSRF on).  Signing in starts a new session, so the caller takes
    the session's CSRF token from the next page it reads."""
    status, _headers, page = client.get("/login")
    token = csrf_token(page)
    status, _headers, _page = client.post(
        "/login", {"csrf_token": token, "username": username, "password": password}
    )
    if status != 302:
        raise RuntimeError(f"sign-in of {username} answered {status}")


class ThreadedServer:
    """waitress serving `app` on 127.0.0.1 (a free port) from a thread of this process; the
    loop polls a stop flag, so that stop() ends it cleanly."""

    def __init__(self, app, *, threads: int = 4, port: int = 0, **options) -> None:
        from waitress.server import create_server

        self.server = create_server(app, host="127.0.0.1", port=port, threads=threads, **options)
        self.port = self.server.effective_port
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        server = self.server
        while not self._stop.is_set():
            server.asyncore.loop(timeout=0.2, map=server._map, use_poll=True, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def machine() -> str:
    """Return the Python version, the CPU count and the 1-minute load average: on a shared
    machine the load says how much the figures were disturbed."""
    return (
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
