#pragma once
// Display names for the user ids that appear in cases and events, taken from QueryResult.people
// (the server sends the names of everyone a result mentions). Unknown ids show as themselves.
#include "latch.pb.h"

#include <map>
#include <string>

namespace latch::cli {

class People {
public:
    People() = default;
    explicit People(const google::protobuf::RepeatedPtrField<v1::User>& users) { add(users); }

    void add(const google::protobuf::RepeatedPtrField<v1::User>& users);
    void add(const v1::User& user);

    // "M. Kim", or "" when unknown.
    std::string name(const std::string& id) const;
    // "mkim (M. Kim)", or the bare id when its name is unknown or the same; "—" for "".
    std::string label(const std::string& id) const;

private:
    std::map<std::string, std::string> m_names;
};

} // namespace latch::cli
