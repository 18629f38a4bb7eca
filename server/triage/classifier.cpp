#include "triage/classifier.h"

#include "latch/hashing.h"
#include "triage/chars.h"
#include "triage/modelfile.h"
#include "triage/textlines.h"

#include <algorithm>
#include <cstdlib>
#include <fasttext/fasttext.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace latch::triage {

// FastText::loadModel(filename) opens a file; this reads the same bytes from memory (after the
// model file's checksum has been verified), checking fastText's own signature first as
// loadModel(filename) does.
class FastTextModel final : public fasttext::FastText {
public:
    bool loadChecked(std::istream& in)
    {
        if (!checkModel(in)) {
            return false;
        }
        loadModel(in);
        return true;
    }
};

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLabelPrefix = "__label__";
// Far above any model the starter options make (10 MB); a file this size is something else.
constexpr std::uintmax_t kMaxModelBytes = std::uintmax_t { 1 } << 30;

// What the model sees: the text as TextLines cleans it (tags and entities gone), lower-cased,
// digits folded to 0 (an order number's digits say nothing about the type), all on one line.
// Punctuation is common to every type and only dilutes the average fastText takes, so most of it
// goes; '_' goes too, so no text can smuggle in a "__label__" token.
std::string modelText(std::string_view text)
{
    const std::string lowered = chars::lower(TextLines(text).joined());
    std::string out;
    out.reserve(lowered.size() + lowered.size() / 4);
    const auto space = [&out] {
        if (!out.empty() && out.back() != ' ') {
            out.push_back(' ');
        }
    };
    for (const char c : lowered) {
        if (chars::isDigit(c)) {
            out.push_back('0');
        } else if (chars::isAsciiAlpha(c) || chars::isHighByte(c)) {
            out.push_back(c);
        } else {
            // Whitespace, control bytes and punctuation separate words; of the punctuation only
            // the few marks that say something about a message stay, as tokens of their own.
            space();
            if (c > 0x20 && c != 0x7F
                && std::string_view("$#@%!?").find(c) != std::string_view::npos) {
                out.push_back(c);
                out.push_back(' ');
            }
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

std::optional<Failure> checkOptions(const TrainOptions& o)
{
    const auto bad = [](const std::string& what) {
        return fail("triage.options", "Training option " + what + ".");
    };
    if (o.epoch < 1 || o.epoch > 1000) {
        return bad("epoch must be from 1 to 1000");
    }
    if (!(o.learningRate > 0.0 && o.learningRate <= 5.0)) {
        return bad("learning rate must be above 0 and at most 5");
    }
    if (o.dim < 2 || o.dim > 512) {
        return bad("dim must be from 2 to 512");
    }
    if (o.wordNgrams < 1 || o.wordNgrams > 5) {
        return bad("wordNgrams must be from 1 to 5");
    }
    const bool noSubwords = o.minn == 0 && o.maxn == 0;
    if (!noSubwords && (o.minn < 1 || o.maxn < o.minn || o.maxn > 10)) {
        return bad("minn and maxn must both be 0, or 1 <= minn <= maxn <= 10");
    }
    if (o.bucket < 1000 || o.bucket > 10'000'000) {
        return bad("bucket must be from 1000 to 10000000");
    }
    const auto inRange = [](double t) { return t >= 0.0 && t <= 1.0; };
    if (!inRange(o.thresholds.fallback)) {
        return bad("thresholds must be from 0 to 1");
    }
    for (const auto& [type, value] : o.thresholds.byType) {
        if (!inRange(value) || !isValidTypeName(type)) {
            return bad("thresholds must be from 0 to 1, for valid type names");
        }
    }
    return std::nullopt;
}

// Short SHA-256 over everything that decides what predict() answers.
std::string versionOf(const std::vector<Example>& examples, const TrainOptions& options)
{
    std::string material = "latch.triage.fasttext.v1\n";
    material += optionsToJson(options);
    material += '\n';
    for (const Example& e : examples) {
        material += std::to_string(e.type.size()) + ":" + e.type;
        material += std::to_string(e.text.size()) + ":" + e.text;
    }
    return toHex(sha256(material)).substr(0, 12);
}

// A private directory for fastText's input file, removed with everything in it.
class ScratchDir {
public:
    ScratchDir() = default;
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir()
    {
        if (!m_path.empty()) {
            std::error_code ignored;
            fs::remove_all(m_path, ignored);
        }
    }

    bool create()
    {
        std::error_code ec;
        std::string pattern = (fs::temp_directory_path(ec) / "latch-triage-XXXXXX").string();
        if (ec || ::mkdtemp(pattern.data()) == nullptr) {
            return false;
        }
        m_path = pattern;
        return true;
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

fasttext::Args fastTextArgs(const TrainOptions& o, const std::string& input)
{
    fasttext::Args args;
    args.input = input;
    args.model = fasttext::model_name::sup;
    args.loss = fasttext::loss_name::softmax;
    args.lr = o.learningRate;
    args.dim = o.dim;
    args.epoch = o.epoch;
    args.wordNgrams = o.wordNgrams;
    args.minn = o.minn;
    args.maxn = o.maxn;
    args.bucket = o.bucket;
    args.seed = o.seed;
    args.minCount = 1;
    args.minCountLabel = 1;
    args.thread = 1; // one thread: the same examples and options give the same model
    args.verbose = 0; // fastText prints progress to stderr otherwise
    args.label = std::string(kLabelPrefix);
    return args;
}

std::vector<std::string> labelsOf(const FastTextModel& model)
{
    const auto dict = model.getDictionary();
    std::vector<std::string> types;
    for (std::int32_t i = 0; i < dict->nlabels(); ++i) {
        std::string label = dict->getLabel(i);
        types.push_back(
            label.starts_with(kLabelPrefix) ? label.substr(kLabelPrefix.size()) : label);
    }
    std::sort(types.begin(), types.end());
    return types;
}

// Words of a modelText() line that are in the model's vocabulary; numbers and punctuation are
// not words.
std::size_t knownWords(const FastTextModel& model, std::string_view line)
{
    std::size_t known = 0;
    std::size_t start = 0;
    while (start < line.size()) {
        std::size_t end = line.find(' ', start);
        if (end == std::string_view::npos) {
            end = line.size();
        }
        const std::string_view token = line.substr(start, end - start);
        start = end + 1;
        const bool hasLetter = std::any_of(token.begin(), token.end(),
            [](char c) { return chars::isAsciiAlpha(c) || chars::isHighByte(c); });
        if (hasLetter && model.getWordId(std::string(token)) >= 0) {
            ++known;
        }
    }
    return known;
}

Expected<std::string> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail("triage.io", "Cannot read " + path + ".");
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        return fail("triage.io", "Reading " + path + " failed.");
    }
    return content.str();
}

} // namespace

Classifier::Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;
Classifier::~Classifier() = default;

Expected<Classifier> Classifier::train(
    const std::vector<Example>& examples, const TrainOptions& options)
{
    if (auto failure = checkOptions(options)) {
        return *failure;
    }
    std::set<std::string> types;
    std::string input;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const Example& e = examples[i];
        const std::string where = "Example " + std::to_string(i + 1);
        if (!isValidTypeName(e.type)) {
            return fail("triage.training_data", where + " has an invalid type \"" + e.type + "\".");
        }
        const std::string text = modelText(e.text);
        if (text.empty()) {
            return fail("triage.training_data", where + " has no words to learn from.");
        }
        types.insert(e.type);
        input.append(kLabelPrefix).append(e.type).append(" ").append(text).append("\n");
    }
    if (types.size() < 2) {
        return fail("triage.training_data",
            "Training needs examples of at least two types; got " + std::to_string(types.size())
                + ".");
    }

    ScratchDir scratch;
    if (!scratch.create()) {
        return fail("triage.io", "Cannot create a temporary directory for training.");
    }
    const std::string inputPath = (scratch.path() / "train.txt").string();
    {
        std::ofstream out(inputPath, std::ios::binary);
        out << input;
        if (!out.flush()) {
            return fail("triage.io", "Cannot write the training file " + inputPath + ".");
        }
    }

    // A freshly trained fastText model keeps its training-time vocabulary table (30 million
    // slots, about 120 MB); the same model read back from its file sizes the table to the
    // vocabulary (about 14 MB in all for the starter set). So keep the read-back copy.
    Classifier c;
    c.m_model = std::make_unique<FastTextModel>();
    try {
        const std::string modelPath = (scratch.path() / "model.bin").string();
        auto trained = std::make_unique<FastTextModel>();
        trained->train(fastTextArgs(options, inputPath));
        trained->saveModel(modelPath);
        trained.reset();
        c.m_model->loadModel(modelPath);
    } catch (const std::exception& e) {
        return fail("triage.train", std::string("fastText could not train: ") + e.what());
    }
    c.m_options = options;
    c.m_version = versionOf(examples, options);
    c.m_types = labelsOf(*c.m_model);
    return c;
}

Prediction Classifier::predict(std::string_view text) const
{
    Prediction p;
    const std::string line = modelText(text);
    if (line.empty()) {
        for (const std::string& type : m_types) {
            p.scores.push_back(Score { type, 0.0 });
        }
        return p;
    }
    std::istringstream in(line + "\n");
    std::vector<std::pair<fasttext::real, std::string>> raw;
    m_model->predictLine(in, raw, static_cast<std::int32_t>(m_types.size()), 0.0F);
    for (auto& [score, label] : raw) {
        std::string type
            = label.starts_with(kLabelPrefix) ? label.substr(kLabelPrefix.size()) : label;
        // fastText reports softmax outputs plus 1e-5 (from a log it takes); keep within 0..1.
        p.scores.push_back(
            Score { std::move(type), std::clamp(static_cast<double>(score), 0.0, 1.0) });
    }
    std::stable_sort(p.scores.begin(), p.scores.end(), [](const Score& a, const Score& b) {
        return a.score != b.score ? a.score > b.score : a.type < b.type;
    });
    p.knownWords = knownWords(*m_model, line);
    if (!p.scores.empty()) {
        p.top = p.scores.front().type;
        p.confidence = p.scores.front().score;
        if (p.confidence >= m_options.thresholds.forType(p.top) && p.knownWords >= kMinKnownWords) {
            p.type = p.top;
        }
    }
    return p;
}

Expected<bool> Classifier::save(const std::string& path) const
{
    const std::string payloadPath = path + ".fasttext.tmp";
    try {
        m_model->saveModel(payloadPath);
    } catch (const std::exception& e) {
        std::error_code ignored;
        fs::remove(payloadPath, ignored);
        return fail("triage.io", "Cannot write the model to " + path + ": " + e.what());
    }
    auto payload = readFile(payloadPath);
    std::error_code ignored;
    fs::remove(payloadPath, ignored);
    if (!payload) {
        return payload.failure();
    }
    ModelHeader header;
    header.version = m_version;
    header.options = m_options;
    header.types = m_types;
    const std::string bytes = encodeModelFile(header, *payload);

    const std::string tmpPath = path + ".tmp";
    {
        std::ofstream out(tmpPath, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush()) {
            fs::remove(tmpPath, ignored);
            return fail("triage.io", "Cannot write the model to " + path + ".");
        }
    }
    std::error_code ec;
    fs::rename(tmpPath, path, ec);
    if (ec) {
        fs::remove(tmpPath, ignored);
        return fail("triage.io", "Cannot write the model to " + path + ": " + ec.message() + ".");
    }
    return true;
}

Expected<Classifier> Classifier::load(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return fail("triage.model_missing", "There is no model file at " + path + ".");
    }
    if (fs::file_size(path, ec) > kMaxModelBytes) {
        return fail("triage.model_format", path + " is too large to be a triage model.");
    }
    auto bytes = readFile(path);
    if (!bytes) {
        return bytes.failure();
    }
    auto file = decodeModelFile(std::move(*bytes), path);
    if (!file) {
        return file.failure();
    }
    const auto corrupt = [&path](const std::string& why) {
        return fail("triage.model_corrupt", "The model file " + path + " is damaged: " + why + ".");
    };

    Classifier c;
    c.m_model = std::make_unique<FastTextModel>();
    try {
        std::istringstream in(std::move(file->payload));
        if (!c.m_model->loadChecked(in)) {
            return corrupt("fastText does not recognise its part");
        }
    } catch (const std::exception& e) {
        return corrupt(std::string("fastText could not read it (") + e.what() + ")");
    }
    if (c.m_model->getArgs().model != fasttext::model_name::sup) {
        return corrupt("it is not a supervised model");
    }
    c.m_types = labelsOf(*c.m_model);
    if (c.m_types != file->header.types) {
        return corrupt("its types do not match its header");
    }
    c.m_options = file->header.options;
    c.m_version = file->header.version;
    return c;
}

} // namespace latch::triage
