"""A SentencePiece-style vocabulary for tokenizer.ggml.model = llama.

Layout (what llama.cpp's SPM tokenizer and llm/Vocabulary expect):
  0 <unk>, 1 <s>, 2 </s>, 3..258 the byte-fallback tokens <0x00>..<0xFF>,
  then U+2581 and every other character of the corpus, then the BPE merges.
A merge's score is minus its rank, so llama.cpp's SPM algorithm (always
join the adjacent pair whose concatenation is the highest-scoring token)
applies them in the order they were learned. The training data is encoded
with that same algorithm (encode() below), so the model sees exactly the
ids that llama.cpp and fluid produce for the same text.
"""
import collections
import heapq
import re

SPACE = "\u2581"
TYPE_NORMAL, TYPE_UNKNOWN, TYPE_CONTROL, TYPE_BYTE = 1, 2, 3, 6
# Chunks that no token spans: a word with its leading space marker, a lone
# space marker, or a newline. Merges are learned inside chunks only, so a
# token holds U+2581 only at its start and never holds a newline; then
# encoding chunk by chunk equals encoding the whole text.
CHUNK = re.compile("\n|%s?[^%s\n]+|%s" % (SPACE, SPACE, SPACE))


def escape(text):
    """What llama.cpp does before SPM: a space in front, spaces to U+2581."""
    return SPACE + text.replace(" ", SPACE)


def chunks(escaped):
    return CHUNK.findall(escaped)


class Vocab:
    def __init__(self, tokens, scores, types):
        self.tokens, self.scores, self.types = tokens, scores, types
        self.ids = {token: i for i, token in enumerate(tokens)}
        self.cache = {}

    @staticmethod
    def train(text, size):
        tokens = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]
        types = [TYPE_UNKNOWN, TYPE_CONTROL, TYPE_CONTROL] + [TYPE_BYTE] * 256
        scores = [0.0] * len(tokens)
        counts = collections.Counter(chunks(escape(text)))
        characters = sorted({c for chunk in counts for c in chunk if c != "\n"} | {SPACE})
        for i, c in enumerate(characters):
            tokens.append(c)
            types.append(TYPE_NORMAL)
            scores.append(-1e6 - i)
        words = [[list(chunk), count] for chunk, count in counts.items() if chunk != "\n"]
        rank = 0
        while len(tokens) < size:
            pairs = collections.Counter()
            for pieces, count in words:
                for left, right in zip(pieces, pieces[1:]):
                    pairs[(left, right)] += count
            # Most frequent pair; ties go to the smaller pair so the result
            # depends on the corpus only.
            best = None
            for pair, count in pairs.items():
                if best is None or count > best[1] or (count == best[1] and pair < best[0]):
                    best = (pair, count)
            if best is None or best[1] < 2:
                break
            (left, right), _ = best
            merged = left + right
            for word in words:
                pieces = word[0]
                if len(pieces) < 2:
                    continue
                out = []
                i = 0
                while i < len(pieces):
                    if i + 1 < len(pieces) and pieces[i] == left and pieces[i + 1] == right:
                        out.append(merged)
                        i += 2
                    else:
                        out.append(pieces[i])
                        i += 1
                word[0] = out
            if merged not in tokens:
                tokens.append(merged)
                types.append(TYPE_NORMAL)
                scores.append(-float(rank))
                rank += 1
        return Vocab(tokens, scores, types)

    def encode_chunk(self, chunk):
        """llama.cpp's llm_tokenizer_spm on one chunk."""
        cached = self.cache.get(chunk)
        if cached is not None:
            return cached
        symbols = list(chunk)
        prev = list(range(-1, len(symbols) - 1))
        nxt = list(range(1, len(symbols) + 1))
        nxt[-1] = -1
        heap = []

        def try_add(left, right):
            if left == -1 or right == -1:
                return
            text = symbols[left] + symbols[right]
            token = self.ids.get(text)
            if token is None:
                return
            # max-heap on score, then leftmost first
            heapq.heappush(heap, (-self.scores[token], left, right, len(text)))

        for i in range(1, len(symbols)):
            try_add(i - 1, i)
        while heap:
            _, left, right, size = heapq.heappop(heap)
            if not symbols[left] or not symbols[right] or len(symbols[left]) + len(symbols[right]) != size:
                continue
            symbols[left] += symbols[right]
            symbols[right] = ""
            nxt[left] = nxt[right]
            if nxt[right] >= 0:
                prev[nxt[right]] = left
            try_add(prev[left], left)
            try_add(left, nxt[left])
        ids = []
        i = 0
        while i != -1:
            if symbols[i]:
                token = self.ids.get(symbols[i])
                if token is not None:
                    ids.append(token)
                else:
                    ids.extend(3 + b for b in symbols[i].encode("utf-8"))
            i = nxt[i]
        self.cache[chunk] = ids
        return ids

    def encode(self, text):
        """Token ids of text, without BOS (llama.cpp adds the space prefix)."""
        ids = []
        for chunk in chunks(escape(text)):
            ids.extend(self.encode_chunk(chunk))
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            if self.types[i] == TYPE_BYTE:
                out.append(int(self.tokens[i][3:5], 16))
            elif self.types[i] == TYPE_NORMAL:
                out += self.tokens[i].replace(SPACE, " ").encode("utf-8")
        return out.decode("utf-8", errors="replace")
