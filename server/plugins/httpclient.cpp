#include "plugins/httpclient.h"

#include <algorithm>
#include <cctype>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace latch::plugins {

namespace {

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user)
{
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user)
{
    const std::string line(data, size * count);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
            [](unsigned char ch) { return char(std::tolower(ch)); });
        std::string value = line.substr(colon + 1);
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
        (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
    }
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

std::string HttpResponse::header(const std::string& lowerName) const
{
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

HttpResponse httpCall(const HttpRequest& request)
{
    globalInit();
    HttpResponse response;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        response.transport = HttpResponse::Transport::Connect;
        response.error = "could not start an HTTP client";
        return response;
    }
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(request.timeout.count()));
    curl_easy_setopt(
        c, CURLOPT_CONNECTTIMEOUT_MS, long(std::min<std::int64_t>(request.timeout.count(), 10000)));
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (request.method != "GET" || !request.body.empty()) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
    }
    std::unique_ptr<curl_slist, ListDeleter> headers;
    for (const auto& [name, value] : request.headers)
        headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
    // curl would otherwise add "Expect: 100-continue" to larger bodies and wait for it.
    headers.reset(curl_slist_append(headers.release(), "Expect:"));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);

    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        // Before the connection was made nothing was sent; after, the server may have acted.
        const bool beforeSending = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST
            || rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR
            || rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_UNSUPPORTED_PROTOCOL
            || rc == CURLE_URL_MALFORMAT;
        response.transport
            = beforeSending ? HttpResponse::Transport::Connect : HttpResponse::Transport::Sent;
        response.error = curl_easy_strerror(rc);
        response.timedOut = rc == CURLE_OPERATION_TIMEDOUT;
        return response;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    response.status = int(status);
    return response;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& params)
{
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty())
            out += '&';
        char* n = curl_easy_escape(nullptr, name.c_str(), int(name.size()));
        char* v = curl_easy_escape(nullptr, value.c_str(), int(value.size()));
        out += n;
        out += '=';
        out += v;
        curl_free(n);
        curl_free(v);
    }
    return out;
}

} // namespace latch::plugins
