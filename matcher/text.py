"""Full-text relevance on the snapshot: German Snowball stems and Okapi BM25.

The index is a CSR posting list per term (documents sorted, term frequencies), so a query term costs one
slice and one vectorised add, whatever the catalog size. Title terms count double (a cheap BM25F): a word
in the title says more about an offer than the same word in its description.
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2
BLOCK_DOCS = 1 << 16  # documents per block of postings sorted at once (about 3M postings, 40 MB of buffers)


class Analyzer:
    """Lower-case words, German stems; the stem cache makes re-analysis of repeated words free."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("german")
        self._cache: dict[str, str] = {}

    def terms(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        out = list(map(self._cache.get, words))  # one C-level pass; misses (None) are stemmed below
        if None in out:
            for i, word in enumerate(words):
                if out[i] is None:
                    out[i] = self._stem(word)
        return out  # type: ignore[return-value]  # no None left

    def _stem(self, word: str) -> str:
        stem = self._stemmer.stemWord(word)
        if len(self._cache) < 500_000:
            self._cache[word] = stem
        return stem


class _Vocabulary(dict[str, int]):
    """Term → id, assigning the next id to a term on first lookup, so ids are handed out in one C-level map."""

    def __missing__(self, term: str) -> int:
        tid = self[term] = len(self)
        return tid


@dataclass(frozen=True)
class _Block:
    """The postings of one block of documents, sorted by term (stable: documents ascending within a term)."""

    counts: np.ndarray  # int64 [terms known when the block ended] postings per term in this block
    docs: np.ndarray    # int32 [postings]
    tf: np.ndarray      # uint16 (float32 if a frequency does not fit) [postings]

    @classmethod
    def from_buffers(cls, terms: array, docs: array, tf: array, n_terms: int) -> _Block:
        term_ids = np.frombuffer(terms, dtype=np.int32)
        # A stable sort of 16-bit keys is a radix sort (linear); wider keys fall back to timsort.
        key = term_ids.astype(np.uint16) if n_terms <= 1 << 16 else term_ids
        order = np.argsort(key, kind="stable")
        freq = np.frombuffer(tf, dtype=np.float32)[order]
        if not len(freq) or freq.max() <= np.iinfo(np.uint16).max:
            freq = freq.astype(np.uint16)
        return cls(counts=np.bincount(term_ids, minlength=n_terms), docs=np.frombuffer(docs, dtype=np.int32)[order],
                   tf=freq)


@dataclass(frozen=True)
class TextIndex:
    terms: dict[str, int]
    offsets: np.ndarray      # int64 [T+1] start of each term's postings
    docs: np.ndarray         # int32 [nnz] document index, ascending within a term
    tf: np.ndarray           # uint16 [nnz] weighted term frequency (float32 only if one exceeds 65535)
    doc_len: np.ndarray      # float32 [n]
    n_docs: int

    @classmethod
    def build(cls, texts: Iterable[tuple[str, str]], analyzer: Analyzer | None = None) -> TextIndex:
        """Index (title, description) pairs in document order.

        Postings are collected per block of documents and sorted by term within the block; the blocks are then
        scattered into the final CSR arrays, block after block, so documents stay ascending within a term. That
        is the same index a global stable sort gives, without its int64 permutation of all postings (400 MB at
        1M offers, ~50M postings) and with each block's buffers freed as soon as they are sorted.
        """
        analyzer = analyzer or Analyzer()
        texts = iter(texts)  # consumed block by block
        vocab = _Vocabulary()
        blocks: list[_Block] = []
        lengths = array("f")
        while True:
            # Typed arrays, not lists: a list holds an object per posting; an array holds 4 bytes.
            post_terms = array("i")
            post_docs = array("i")
            post_tf = array("f")
            start = len(lengths)
            for doc, (title, description) in enumerate(itertools.islice(texts, BLOCK_DOCS), start):
                title_terms = analyzer.terms(title)
                body_terms = analyzer.terms(description)
                counts = Counter(title_terms)  # in first-appearance order: title terms, then new body terms
                for term in counts:
                    counts[term] *= TITLE_WEIGHT
                counts.update(body_terms)
                post_terms.extend(map(vocab.__getitem__, counts))  # new terms get the next id (`__missing__`)
                lengths.append(TITLE_WEIGHT * len(title_terms) + len(body_terms))
                post_docs.extend(array("i", (doc,)) * len(counts))
                post_tf.extend(array("f", counts.values()))
            if len(lengths) > start:
                blocks.append(_Block.from_buffers(post_terms, post_docs, post_tf, len(vocab)))
            if len(lengths) < start + BLOCK_DOCS:  # a short block: the input is exhausted
                break
        counts_all = np.zeros(len(vocab), dtype=np.int64)
        for block in blocks:
            counts_all[: len(block.counts)] += block.counts
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(counts_all, out=offsets[1:])
        # Term frequencies are whole numbers: 2 bytes hold them exactly unless a document repeats a word 65k times.
        narrow = all(b.tf.dtype == np.uint16 for b in blocks)
        docs = np.empty(int(offsets[-1]), dtype=np.int32)
        tf = np.empty(int(offsets[-1]), dtype=np.uint16 if narrow else np.float32)
        filled = offsets[:-1].copy()  # next free slot per term
        while blocks:
            block = blocks.pop(0)  # dropped once scattered: the blocks shrink while the result grows
            k = len(block.counts)
            first = np.cumsum(block.counts) - block.counts  # block-local start of each term's run
            dest = np.repeat(filled[:k] - first, block.counts) + np.arange(len(block.docs))
            docs[dest] = block.docs
            tf[dest] = block.tf
            filled[:k] += block.counts
        return cls(terms=dict(vocab), offsets=offsets, docs=docs, tf=tf,
                   doc_len=np.frombuffer(lengths, dtype=np.float32).copy(), n_docs=len(lengths))

    @property
    def avg_len(self) -> float:
        """Mean document length, once per index rather than once per query (it is O(n))."""
        cached = self.__dict__.get("_avg_len")
        if cached is None:
            cached = float(self.doc_len.mean()) if self.n_docs else 1.0
            object.__setattr__(self, "_avg_len", cached)
        return cached

    def score(self, query_terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 scores for all documents and the mask of documents that contain every query term."""
        scores = np.zeros(self.n_docs, dtype=np.float64)
        matched = np.ones(self.n_docs, dtype=bool)
        unique_terms = list(dict.fromkeys(query_terms))
        if not unique_terms:
            return scores, matched
        avg_len = self.avg_len
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
