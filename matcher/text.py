"""Full-text relevance on the snapshot: German Snowball stems and Okapi BM25.

The index is a CSR posting list per term (documents sorted, term frequencies), so a query term costs one
slice and one vectorised add, whatever the catalog size. Title terms count double (a cheap BM25F): a word
in the title says more about an offer than the same word in its description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2


class Analyzer:
    """Lower-case words, German stems; the stem cache makes re-analysis of repeated words free."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("german")
        self._cache: dict[str, str] = {}

    def terms(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        out = []
        cache = self._cache
        for word in words:
            stem = cache.get(word)
            if stem is None:
                stem = self._stemmer.stemWord(word)
                if len(cache) < 500_000:
                    cache[word] = stem
            out.append(stem)
        return out


@dataclass(frozen=True)
class TextIndex:
    terms: dict[str, int]
    offsets: np.ndarray      # int64 [T+1] start of each term's postings
    docs: np.ndarray         # int32 [nnz] document index, ascending within a term
    tf: np.ndarray           # float32 [nnz] weighted term frequency
    doc_len: np.ndarray      # float32 [n]
    n_docs: int

    @classmethod
    def build(cls, texts: Iterable[tuple[str, str]], analyzer: Analyzer | None = None) -> TextIndex:
        """Index (title, description) pairs in document order."""
        analyzer = analyzer or Analyzer()
        vocab: dict[str, int] = {}
        post_terms: list[int] = []
        post_docs: list[int] = []
        post_tf: list[float] = []
        lengths: list[float] = []
        for doc, (title, description) in enumerate(texts):
            counts: dict[int, float] = {}
            title_terms = analyzer.terms(title)
            body_terms = analyzer.terms(description)
            for term in title_terms:
                tid = vocab.setdefault(term, len(vocab))
                counts[tid] = counts.get(tid, 0.0) + TITLE_WEIGHT
            for term in body_terms:
                tid = vocab.setdefault(term, len(vocab))
                counts[tid] = counts.get(tid, 0.0) + 1.0
            lengths.append(TITLE_WEIGHT * len(title_terms) + len(body_terms))
            post_terms.extend(counts)
            post_docs.extend([doc] * len(counts))
            post_tf.extend(counts.values())
        terms_arr = np.asarray(post_terms, dtype=np.int64)
        order = np.argsort(terms_arr, kind="stable")  # stable keeps documents ascending within a term
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms_arr, minlength=len(vocab)), out=offsets[1:])
        return cls(
            terms=vocab, offsets=offsets,
            docs=np.asarray(post_docs, dtype=np.int32)[order],
            tf=np.asarray(post_tf, dtype=np.float32)[order],
            doc_len=np.asarray(lengths, dtype=np.float32), n_docs=len(lengths),
        )

    def score(self, query_terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 scores for all documents and the mask of documents that contain every query term."""
        scores = np.zeros(self.n_docs, dtype=np.float64)
        matched = np.ones(self.n_docs, dtype=bool)
        unique_terms = list(dict.fromkeys(query_terms))
        if not unique_terms:
            return scores, matched
        avg_len = float(self.doc_len.mean()) if self.n_docs else 1.0
        for term in unique_terms:
            tid = self.terms.get(term)
            if tid is None:
                return np.zeros(self.n_docs), np.zeros(self.n_docs, dtype=bool)
            lo, hi = self.offsets[tid], self.offsets[tid + 1]
            docs = self.docs[lo:hi]
            tf = self.tf[lo:hi].astype(np.float64)
            df = hi - lo
            idf = np.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))
            norm = K1 * (1.0 - B + B * self.doc_len[docs] / avg_len)
            scores[docs] += idf * tf * (K1 + 1.0) / (tf + norm)
            present = np.zeros(self.n_docs, dtype=bool)
            present[docs] = True
            matched &= present
        return scores, matched
