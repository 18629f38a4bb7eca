#include "bundlefiles.h"

#include "bundle.h"
#include "report.h"

#include <filesystem>
#include <fstream>

namespace latch::cli {

namespace fs = std::filesystem;

namespace {

Expected<bool> writeFile(const fs::path& path, const std::string& content)
{
    const fs::path tmp = path.string() + ".new";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush())
            return fail("bundle.write_failed", "cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
        return fail("bundle.write_failed", "cannot write " + path.string() + ": " + ec.message());
    return true;
}

} // namespace

Expected<std::vector<std::string>> writeBundleFiles(
    const v1::CaseProof& proof, const People& people, const BundleTarget& target)
{
    std::error_code ec;
    const fs::path dir = target.dir;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            return fail("bundle.not_a_directory", target.dir + " exists and is not a directory");
        if (!fs::is_empty(dir, ec) && !target.force)
            return fail("bundle.not_empty", target.dir + " is not empty");
    }
    fs::create_directories(dir, ec);
    if (ec)
        return fail("bundle.write_failed", "cannot create " + target.dir + ": " + ec.message());
    const std::vector<std::pair<fs::path, std::string>> files {
        { dir / "bundle.json", bundleJson(proof, target.server, target.exportedMs).dump(2) + "\n" },
        { dir / "checkpoint.note", proof.checkpoint() },
        { dir / "report.html",
            caseReportHtml(proof, people, { target.server, target.exportedMs, target.dir }) },
    };
    std::vector<std::string> written;
    for (const auto& [path, content] : files) {
        if (auto ok = writeFile(path, content); !ok)
            return ok.failure();
        written.push_back(path.string());
    }
    return written;
}

} // namespace latch::cli
