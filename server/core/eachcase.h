#pragma once
// Every case a read view holds, in id order, a page at a time: for the scans over all cases (a
// snapshot for a new device, actions owed since a stop, triage's catch-up and training) that must
// not hold every case in memory at once. The view is one snapshot, so the walk sees one state.
#include "core/store.h"

#include <cstdint>
#include <string>

namespace latch::core {

template <typename Visit>
void forEachCase(ReadView& view, Visit&& visit, std::uint32_t pageSize = 500)
{
    std::string after;
    for (;;) {
        const auto page = view.casesPage(after, pageSize);
        if (page.empty())
            return;
        for (const auto& c : page)
            visit(c);
        after = page.back().id();
    }
}

} // namespace latch::core
