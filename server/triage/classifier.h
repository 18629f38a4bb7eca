#pragma once
// Suggests a case type for a piece of text, with a confidence, using a fastText supervised model
// trained on labelled examples (resources/triage/starter.jsonl to start with). A suggestion, never
// a decision: predict() names a type only when the score reaches that type's threshold, and
// otherwise leaves the type empty for a person to choose.
//
// Training is deterministic: one thread, a fixed seed, the examples in the order given. version()
// is the short SHA-256 of the examples, the options and the thresholds, so two classifiers with
// the same version suggest the same types.
//
// A model file (save/load) is a small header (format, version, options, thresholds, types and the
// SHA-256 of the rest) followed by fastText's own .bin. The checksum is verified before fastText
// reads a byte, so a truncated or corrupted file is an error value, never a crash.
//
// Threading: predict() may be called from any number of threads at once (each call has its own
// fastText state; the model is only read). train() and load() build a new object; a Classifier is
// movable, not copyable. The fastText headers stay out of this one.
//
// Cost, starter set and default options: a classifier holds about 14 MB (the model file is 10 MB);
// train() takes about a second of one core and briefly about 140 MB, because fastText sizes its
// training vocabulary for 30 million words; predict() takes about 40 us for a short email.
#include "latch/expected.h"
#include "triage/dataset.h"
#include "triage/thresholds.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace latch::triage {

class FastTextModel;

// The defaults were chosen by 5-fold cross-validation on resources/triage/starter.jsonl (see
// resources/triage/README.md): character 4- to 6-grams carry most of the signal on texts this
// short and this mixed in language; more epochs, dimensions or buckets did not help.
struct TrainOptions {
    int epoch = 50;
    double learningRate = 0.5;
    int dim = 50;
    int wordNgrams = 2;
    int minn = 4; // character n-grams from minn to maxn bytes; 0 and 0 for none
    int maxn = 6;
    int bucket = 50'000; // hash buckets for word and character n-grams (model ~ 4*bucket*dim bytes)
    int seed = 1;
    Thresholds thresholds; // applied by predict()

    friend bool operator==(const TrainOptions&, const TrainOptions&) = default;
};

struct Score {
    std::string type;
    double score = 0; // 0..1; a prediction's scores add up to about 1

    friend bool operator==(const Score&, const Score&) = default;
};

struct Prediction {
    std::vector<Score> scores; // every type the model knows, highest first (ties by name)
    std::string top; // the highest-scoring type, whatever its score; "" for empty text
    double confidence = 0; // top's score
    std::size_t knownWords = 0; // words of the text (not numbers) the model learned from
    // top, when confidence reaches top's threshold and the text has at least kMinKnownWords
    // known words; otherwise "" and a person chooses.
    std::string type;

    friend bool operator==(const Prediction&, const Prediction&) = default;
};

// Softmax scores are confident about almost anything: "hello there" scores 0.99 for "other".
// A text with fewer known words than this gives the model nothing to go on, so it names no type.
constexpr std::size_t kMinKnownWords = 3;

class Classifier {
public:
    // Failure codes: triage.options (an option is out of range), triage.training_data (fewer than
    // two types, a bad type name, a text with no words), triage.io (no temporary directory),
    // triage.train (fastText refused the data).
    static Expected<Classifier> train(
        const std::vector<Example>& examples, const TrainOptions& options = {});

    // Failure codes: triage.model_missing, triage.model_format (not a Latch triage model, or a
    // newer format), triage.model_corrupt (checksum, header or fastText payload is wrong),
    // triage.io.
    static Expected<Classifier> load(const std::string& path);

    // Writes to a temporary file beside `path` and renames it, so a reader never sees half a
    // model. Failure code: triage.io.
    Expected<bool> save(const std::string& path) const;

    Prediction predict(std::string_view text) const;

    std::string_view modelId() const { return "fasttext"; }
    const std::string& version() const { return m_version; } // 12 hex digits
    const std::vector<std::string>& types() const { return m_types; } // sorted
    const TrainOptions& options() const { return m_options; }

    Classifier(Classifier&&) noexcept;
    Classifier& operator=(Classifier&&) noexcept;
    Classifier(const Classifier&) = delete;
    Classifier& operator=(const Classifier&) = delete;
    ~Classifier();

private:
    Classifier();

    std::unique_ptr<FastTextModel> m_model;
    TrainOptions m_options;
    std::string m_version;
    std::vector<std::string> m_types;
};

} // namespace latch::triage
