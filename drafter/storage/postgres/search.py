"""Search on PostgreSQL: the same rows as SQLite's FTS5 index (bodies already lower-cased
and without diacritics by :func:`drafter.normalize.fold_diacritics`), matched as a phrase
of whole words in order by PostgreSQL's full text search (the ``simple`` configuration: no
stemming, no stop words).  The words of the index, for the correction of typos, are kept in
``search_word`` with a trigram index (migration 0023)."""

from __future__ import annotations

import re

from ...model import SearchHit
from ...normalize import fold_diacritics
from ..sqlite.audit import NEWEST_ARTICLES, NEWEST_COMMENTS, SEARCH_VISIBLE
from ..sqlite.connection import Connected


class PostgresSearch(Connected):
    def search(self, query: str, *, limit: int = 50, newest_first: bool = False) -> list[SearchHit]:
        """As on SQLite: the words of `query` (at most 8), whole, in that order, next to each
        other, ignoring case and Vietnamese diacritics; only visible comments."""
        words = re.findall(r"[^\W_]+", fold_diacritics(query))[:8]
        if not words:
            return []
        phrase = " <-> ".join(words)
        select = (
            "SELECT s.kind, s.ref_id, s.version_id FROM search_index s "
            f"WHERE s.words @@ to_tsquery('simple', ?) AND {SEARCH_VISIBLE} "
        )
        if newest_first:  # the rowid index read in order, each kind stopping at its page
            rows = [
                *self.conn.execute(f"{select}{NEWEST_ARTICLES} LIMIT ?", (phrase, limit)),
                *self.conn.execute(f"{select}{NEWEST_COMMENTS} LIMIT ?", (phrase, limit)),
            ]
        else:
            rank = "ORDER BY ts_rank(s.words, to_tsquery('simple', ?)) DESC, s.rowid LIMIT ?"
            rows = list(self.conn.execute(f"{select}{rank}", (phrase, phrase, limit)))
        return [SearchHit(r["kind"], r["ref_id"], r["version_id"]) for r in rows]

    def word_candidates(self, word: str, *, limit: int = 100) -> list[str]:
        """The `limit` words of the index nearest `word` by trigrams (pg_trgm's distance,
        through the GiST index of ``search_word``), `word` itself first when indexed."""
        rows = self.conn.execute(
            "SELECT word FROM search_word ORDER BY word <-> ? LIMIT ?", (word, limit)
        )
        return [r[0] for r in rows]

    def word_rows(self, words: list[str], *, cap: int = 1000) -> dict[str, int]:
        """Counted in the GIN index of the words, at most `cap` rows each."""
        counts = {}
        for word in dict.fromkeys(words):
            row = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_index "
                "WHERE words @@ to_tsquery('simple', ?) LIMIT ?) AS held",
                (word, cap),
            ).fetchone()
            counts[word] = int(row[0])
        return counts
