#include "tools/mkmodel/VocabBuilder.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace fluid::mkmodel {

static const char* const space_marker = "\xE2\x96\x81"; // U+2581, SentencePiece's space

// Text the merges are learned from: plain English written for this tool.
static const char* const corpus =
    "Once upon a time there was a little girl who lived in a small house at the edge of the forest. "
    "Every morning she walked to the river with her mother and her brother, and they carried water back "
    "to the house. The river was cold and clear, and the fish in it were silver and quick. One day the "
    "girl saw a bird that could not fly. She picked it up and took it home, and her mother helped her "
    "make a nest for it in a box by the window. The bird ate seeds and drank water, and after many days "
    "it was strong again. Then the girl opened the window and the bird flew out over the trees. She was "
    "sad, but she was also happy, because the bird was free. In the evening the family sat together "
    "and talked about the day. Her father told stories about the old times, when the forest was larger "
    "and the winters were longer. The children listened and asked questions, and the fire made the room "
    "warm. This is the way things were in that place for a long time, and the people there were good to "
    "each other. They shared their bread and their work, and when one of them was in trouble the others "
    "came to help. Some of them said that the world was changing, and that the young would go away to "
    "the cities. Others said that the forest would always call them back. Nobody knew which of them was "
    "right, but everyone agreed that the river would keep running and the birds would keep singing. "
    "The model reads the text and writes the next word, and then the next one, until the story ends.";

static const char* const extra_characters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'\"-()";

// A word as a sequence of pieces, starting as UTF-8 characters.
using Word = std::vector<std::string>;

static std::vector<std::pair<Word, int>> corpus_words()
{
    std::map<std::string, int> counts;
    std::string text = corpus;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string::npos)
            end = text.size();
        if (end > start)
            counts[std::string(space_marker) + text.substr(start, end - start)]++;
        start = end + 1;
    }
    std::vector<std::pair<Word, int>> words;
    for (auto& [word, count] : counts) {
        Word pieces;
        pieces.push_back(space_marker);
        for (size_t i = 3; i < word.size(); ++i)
            pieces.push_back(std::string(1, word[i])); // the corpus is ASCII after the marker
        words.push_back({ pieces, count });
    }
    return words;
}

static std::vector<std::string> learn_merges(size_t max_merges)
{
    auto words = corpus_words();
    std::vector<std::string> merges;
    std::set<std::string> known;
    while (merges.size() < max_merges) {
        std::map<std::pair<std::string, std::string>, int> pairs;
        for (auto& [word, count] : words) {
            for (size_t i = 0; i + 1 < word.size(); ++i)
                pairs[{ word[i], word[i + 1] }] += count;
        }
        // The most frequent pair; std::map order breaks ties, so the
        // result does not depend on anything but the corpus.
        const std::pair<std::string, std::string>* best = nullptr;
        int best_count = 1;
        for (auto& [pair, count] : pairs) {
            if (count > best_count && !known.count(pair.first + pair.second)) {
                best = &pair;
                best_count = count;
            }
        }
        if (!best)
            break;
        auto [left, right] = *best;
        std::string merged = left + right;
        merges.push_back(merged);
        known.insert(merged);
        for (auto& [word, count] : words) {
            Word next;
            for (size_t i = 0; i < word.size(); ++i) {
                if (i + 1 < word.size() && word[i] == left && word[i + 1] == right) {
                    next.push_back(merged);
                    ++i;
                } else {
                    next.push_back(word[i]);
                }
            }
            word = std::move(next);
        }
    }
    return merges;
}

static Vocab fixed_part()
{
    Vocab vocab;
    auto add = [&](std::string token, float score, int32_t type) {
        vocab.tokens.push_back(std::move(token));
        vocab.scores.push_back(score);
        vocab.types.push_back(type);
    };
    add("<unk>", 0, 2);
    add("<s>", 0, 3);
    add("</s>", 0, 3);
    for (int byte = 0; byte < 256; ++byte) {
        char name[8];
        snprintf(name, sizeof(name), "<0x%02X>", byte);
        add(name, 0, 6);
    }
    add(space_marker, -1000, 1);
    for (const char* c = extra_characters; *c; ++c)
        add(std::string(1, *c), -1000 - static_cast<float>(c - extra_characters), 1);
    return vocab;
}

uint32_t minimum_vocab_size()
{
    return static_cast<uint32_t>(fixed_part().tokens.size());
}

Vocab build_vocab(uint32_t size)
{
    Vocab vocab = fixed_part();
    if (size < vocab.tokens.size())
        return {};
    auto merges = learn_merges(size - vocab.tokens.size());
    for (size_t i = 0; i < merges.size(); ++i) {
        vocab.tokens.push_back(merges[i]);
        vocab.scores.push_back(-static_cast<float>(i)); // earlier merges score higher
        vocab.types.push_back(1);
    }
    for (uint32_t extra = 0; vocab.tokens.size() < size; ++extra) {
        vocab.tokens.push_back("<extra_" + std::to_string(extra) + ">");
        vocab.scores.push_back(-100000.0f);
        vocab.types.push_back(5); // unused
    }
    return vocab;
}

} // namespace fluid::mkmodel
