#include "triage/modelfile.h"

#include "latch/hashing.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace latch::triage {
namespace {

constexpr std::string_view kMagic = "latch-triage-model ";
constexpr std::string_view kFormat = "1";
constexpr std::size_t kMaxFirstLine = 64;
constexpr std::size_t kMaxHeader = 1 << 20;

using nlohmann::json;

json optionsObject(const TrainOptions& o)
{
    json thresholds { { "default", o.thresholds.fallback }, { "types", json::object() } };
    for (const auto& [type, value] : o.thresholds.byType) {
        thresholds["types"][type] = value;
    }
    return json { { "epoch", o.epoch }, { "learning_rate", o.learningRate }, { "dim", o.dim },
        { "word_ngrams", o.wordNgrams }, { "minn", o.minn }, { "maxn", o.maxn },
        { "bucket", o.bucket }, { "seed", o.seed }, { "thresholds", thresholds } };
}

bool isHex(const std::string& s, std::size_t length)
{
    return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

bool isThreshold(const json& v)
{
    return v.is_number() && v.get<double>() >= 0.0 && v.get<double>() <= 1.0;
}

// Reads back what optionsObject wrote; false when anything is missing or of the wrong kind.
bool readOptions(const json& o, TrainOptions& out)
{
    if (!o.is_object()) {
        return false;
    }
    const auto integer = [&o](const char* key, int& into) {
        const auto it = o.find(key);
        if (it == o.end() || !it->is_number_integer()) {
            return false;
        }
        into = it->get<int>();
        return true;
    };
    const auto rate = o.find("learning_rate");
    const auto thresholds = o.find("thresholds");
    if (!integer("epoch", out.epoch) || !integer("dim", out.dim)
        || !integer("word_ngrams", out.wordNgrams) || !integer("minn", out.minn)
        || !integer("maxn", out.maxn) || !integer("bucket", out.bucket)
        || !integer("seed", out.seed) || rate == o.end() || !rate->is_number()
        || thresholds == o.end() || !thresholds->is_object()) {
        return false;
    }
    out.learningRate = rate->get<double>();
    const auto fallback = thresholds->find("default");
    const auto types = thresholds->find("types");
    if (fallback == thresholds->end() || !isThreshold(*fallback) || types == thresholds->end()
        || !types->is_object()) {
        return false;
    }
    out.thresholds.fallback = fallback->get<double>();
    out.thresholds.byType.clear();
    for (const auto& item : types->items()) {
        if (!isThreshold(item.value())) {
            return false;
        }
        out.thresholds.byType[item.key()] = item.value().get<double>();
    }
    return true;
}

} // namespace

std::string optionsToJson(const TrainOptions& options)
{
    return optionsObject(options).dump();
}

std::string encodeModelFile(const ModelHeader& header, const std::string& payload)
{
    const json head { { "model", "fasttext" }, { "version", header.version },
        { "options", optionsObject(header.options) }, { "types", header.types },
        { "payload_bytes", payload.size() }, { "payload_sha256", toHex(sha256(payload)) } };
    std::string out(kMagic);
    out.append(kFormat).append("\n").append(head.dump()).append("\n").append(payload);
    return out;
}

Expected<ModelFile> decodeModelFile(std::string bytes, const std::string& path)
{
    const std::size_t firstEnd = bytes.find('\n');
    if (!bytes.starts_with(kMagic) || firstEnd == std::string::npos || firstEnd > kMaxFirstLine) {
        return fail("triage.model_format", path + " is not a Latch triage model.");
    }
    const std::string format = bytes.substr(kMagic.size(), firstEnd - kMagic.size());
    if (format != kFormat) {
        return fail("triage.model_format",
            path + " is a triage model in format " + format + "; this Latch reads format "
                + std::string(kFormat) + ".");
    }
    const auto corrupt = [&path](const std::string& why) {
        return fail("triage.model_corrupt", "The model file " + path + " is damaged: " + why + ".");
    };
    const std::size_t headerEnd = bytes.find('\n', firstEnd + 1);
    if (headerEnd == std::string::npos || headerEnd - firstEnd > kMaxHeader) {
        return corrupt("its header is cut off");
    }
    json head;
    try {
        head = json::parse(bytes.begin() + static_cast<std::ptrdiff_t>(firstEnd + 1),
            bytes.begin() + static_cast<std::ptrdiff_t>(headerEnd));
    } catch (const json::exception&) {
        return corrupt("its header is not valid JSON");
    }

    ModelFile out;
    if (!head.is_object() || !head.contains("model") || head["model"] != "fasttext") {
        return corrupt("its header does not describe a fastText model");
    }
    const auto version = head.find("version");
    const auto options = head.find("options");
    const auto types = head.find("types");
    const auto size = head.find("payload_bytes");
    const auto digest = head.find("payload_sha256");
    if (version == head.end() || !version->is_string() || !isHex(version->get<std::string>(), 12)
        || types == head.end() || !types->is_array() || size == head.end()
        || !size->is_number_unsigned() || digest == head.end() || !digest->is_string()
        || !isHex(digest->get<std::string>(), 64) || options == head.end()
        || !readOptions(*options, out.header.options)) {
        return corrupt("its header is incomplete");
    }
    for (const json& type : *types) {
        if (!type.is_string()) {
            return corrupt("its header lists a type that is not a name");
        }
        out.header.types.push_back(type.get<std::string>());
    }
    out.header.version = version->get<std::string>();

    bytes.erase(0, headerEnd + 1);
    if (bytes.size() != size->get<std::uint64_t>()) {
        return corrupt("it is " + std::to_string(bytes.size()) + " bytes after the header, not "
            + std::to_string(size->get<std::uint64_t>()));
    }
    if (toHex(sha256(bytes)) != digest->get<std::string>()) {
        return corrupt("its checksum does not match");
    }
    out.payload = std::move(bytes);
    return out;
}

} // namespace latch::triage
