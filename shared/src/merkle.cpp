#include "latch/merkle.h"

#include <openssl/evp.h>

#include <bit>
#include <cassert>
#include <cstring>
#include <utility>

namespace latch::merkle {

namespace {

Hash sha256Parts(char prefix, std::string_view a, std::string_view b = {})
{
    std::string buffer;
    buffer.reserve(1 + a.size() + b.size());
    buffer.push_back(prefix);
    buffer.append(a);
    buffer.append(b);
    return sha256(buffer);
}

std::string_view view(const Hash& h)
{
    return {reinterpret_cast<const char*>(h.data()), h.size()};
}

bool isPowerOfTwo(std::uint64_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

// RFC 9162 2.1.3.1 PATH(m, D[n]) over leaves [begin, begin + n).
void path(std::uint64_t m, std::uint64_t begin, std::uint64_t n, const SubtreeSource& source,
          std::vector<Hash>& out)
{
    if (n <= 1)
        return;
    const std::uint64_t k = splitPoint(n);
    if (m < k) {
        path(m, begin, k, source, out);
        out.push_back(source(begin + k, begin + n));
    } else {
        path(m - k, begin + k, n - k, source, out);
        out.push_back(source(begin, begin + k));
    }
}

// RFC 9162 2.1.4.1 SUBPROOF(m, D[n], b) over leaves [begin, begin + n).
void subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t n, bool complete,
              const SubtreeSource& source, std::vector<Hash>& out)
{
    if (m == n) {
        if (!complete)
            out.push_back(source(begin, begin + n));
        return;
    }
    const std::uint64_t k = splitPoint(n);
    if (m <= k) {
        subproof(m, begin, k, complete, source, out);
        out.push_back(source(begin + k, begin + n));
    } else {
        subproof(m - k, begin + k, n - k, false, source, out);
        out.push_back(source(begin, begin + k));
    }
}

} // namespace

Hash leafHash(std::string_view data)
{
    return sha256Parts(0x00, data);
}

Hash nodeHash(const Hash& left, const Hash& right)
{
    return sha256Parts(0x01, view(left), view(right));
}

Hash emptyRoot()
{
    return sha256(std::string_view());
}

std::uint64_t splitPoint(std::uint64_t n)
{
    assert(n >= 2);
    return std::bit_floor(n - 1);
}

Hash root(std::uint64_t size, const SubtreeSource& source)
{
    return size == 0 ? emptyRoot() : source(0, size);
}

SubtreeSource perfectSource(std::function<Hash(std::uint32_t level, std::uint64_t index)> perfect)
{
    // A named lambda so the ragged case can recurse through itself.
    struct Source {
        std::function<Hash(std::uint32_t, std::uint64_t)> perfect;
        Hash operator()(std::uint64_t begin, std::uint64_t end) const
        {
            const std::uint64_t n = end - begin;
            if (isPowerOfTwo(n) && begin % n == 0)
                return perfect(static_cast<std::uint32_t>(std::countr_zero(n)), begin / n);
            const std::uint64_t k = splitPoint(n);
            return nodeHash((*this)(begin, begin + k), (*this)(begin + k, end));
        }
    };
    return Source{std::move(perfect)};
}

SubtreeSource memorySource(const std::vector<Hash>& leaves)
{
    struct Source {
        const std::vector<Hash>* leaves;
        Hash operator()(std::uint64_t begin, std::uint64_t end) const
        {
            const std::uint64_t n = end - begin;
            if (n == 1)
                return (*leaves)[begin];
            const std::uint64_t k = splitPoint(n);
            return nodeHash((*this)(begin, begin + k), (*this)(begin + k, end));
        }
    };
    return Source{&leaves};
}

std::vector<Hash> inclusionProof(std::uint64_t index, std::uint64_t size,
                                 const SubtreeSource& source)
{
    std::vector<Hash> out;
    if (index < size)
        path(index, 0, size, source, out);
    return out;
}

std::vector<Hash> consistencyProof(std::uint64_t oldSize, std::uint64_t newSize,
                                   const SubtreeSource& source)
{
    std::vector<Hash> out;
    if (oldSize > 0 && oldSize < newSize)
        subproof(oldSize, 0, newSize, true, source, out);
    return out;
}

bool verifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                     const std::vector<Hash>& proof, const Hash& root)
{
    if (index >= size)
        return false;
    std::uint64_t fn = index;
    std::uint64_t sn = size - 1;
    Hash r = leaf;
    for (const Hash& p : proof) {
        if (sn == 0)
            return false;
        if ((fn & 1) == 1 || fn == sn) {
            r = nodeHash(p, r);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verifyConsistency(std::uint64_t oldSize, std::uint64_t newSize, const Hash& oldRoot,
                       const Hash& newRoot, const std::vector<Hash>& proof)
{
    if (oldSize > newSize)
        return false;
    if (oldSize == newSize)
        return proof.empty() && oldRoot == newRoot;
    if (oldSize == 0)
        return proof.empty();
    if (proof.empty())
        return false;
    std::vector<Hash> path = proof;
    // When the old tree is a complete subtree, its root starts the path.
    if (isPowerOfTwo(oldSize))
        path.insert(path.begin(), oldRoot);
    std::uint64_t fn = oldSize - 1;
    std::uint64_t sn = newSize - 1;
    while ((fn & 1) == 1) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path[0];
    Hash sr = path[0];
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Hash& c = path[i];
        if (sn == 0)
            return false;
        if ((fn & 1) == 1 || fn == sn) {
            fr = nodeHash(c, fr);
            sr = nodeHash(c, sr);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = nodeHash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == oldRoot && sr == newRoot && sn == 0;
}

std::vector<Node> append(std::vector<Hash>& frontier, std::uint64_t size, const Hash& leaf)
{
    std::vector<Node> written;
    written.push_back({0, size, leaf});
    Hash carry = leaf;
    std::uint64_t index = size;
    std::uint32_t level = 0;
    // Each trailing 1 bit of size is a perfect subtree on the right edge that the new leaf
    // completes into one a level up.
    while ((index & 1) == 1) {
        carry = nodeHash(frontier.back(), carry);
        frontier.pop_back();
        index >>= 1;
        ++level;
        written.push_back({level, index, carry});
    }
    frontier.push_back(carry);
    return written;
}

std::uint64_t nodeCount(std::uint64_t size)
{
    return 2 * size - static_cast<std::uint64_t>(std::popcount(size));
}

std::uint64_t nodePosition(std::uint32_t level, std::uint64_t index)
{
    // The node is written by the append of the last leaf it covers, as that append's level-th.
    const std::uint64_t last = ((index + 1) << level) - 1;
    return nodeCount(last) + level;
}

std::optional<std::uint64_t> sizeForNodeCount(std::uint64_t count)
{
    // 2n - popcount(n) = count, with popcount(n) <= 64, so n is within 32 of count / 2.
    for (std::uint64_t n = count / 2; n <= count / 2 + 33; ++n) {
        if (nodeCount(n) == count)
            return n;
    }
    return std::nullopt;
}

Hash frontierRoot(const std::vector<Hash>& frontier)
{
    if (frontier.empty())
        return emptyRoot();
    Hash r = frontier.back();
    for (auto it = frontier.rbegin() + 1; it != frontier.rend(); ++it)
        r = nodeHash(*it, r);
    return r;
}

std::string toBase64(const Hash& hash)
{
    unsigned char out[4 * ((sizeof(Hash) + 2) / 3) + 1];
    const int n = EVP_EncodeBlock(out, hash.data(), static_cast<int>(hash.size()));
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

std::optional<Hash> hashFromBase64(std::string_view text)
{
    if (text.size() != 44)
        return std::nullopt;
    unsigned char out[33];
    const int n = EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    // 44 characters decode to 33 bytes, the last from the '=' padding.
    if (n != 33 || text.back() != '=' || text[42] == '=')
        return std::nullopt;
    Hash h{};
    std::memcpy(h.data(), out, h.size());
    if (toBase64(h) != text)
        return std::nullopt;
    return h;
}

std::optional<Hash> hashFromBytes(std::string_view bytes)
{
    if (bytes.size() != sizeof(Hash))
        return std::nullopt;
    Hash h{};
    std::memcpy(h.data(), bytes.data(), h.size());
    return h;
}

} // namespace latch::merkle
