#include "core/rulereader.h"

#include <algorithm>
#include <regex>

namespace latch::core {

namespace {

// A stage needing more distinct people than this is almost certainly a typo (20 for 2.0, say), and
// a rule nobody can ever satisfy blocks its cases for good.
constexpr std::uint64_t kMaxApprovalsPerStage = 20;

bool contains(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::string withoutFinalStop(std::string sentence)
{
    if (!sentence.empty() && sentence.back() == '.') {
        sentence.pop_back();
    }
    return sentence;
}

} // namespace

RuleReader::RuleReader(const YamlFields& in, const Config& config)
    : m_in(in)
    , m_config(config)
{
}

Rule RuleReader::read(const YAML::Node& node, const std::string& path) const
{
    m_in.checkKeys(node, path, { "name", "description", "when", "requires", "gates_actions" });
    Rule rule;
    rule.line = node.Mark().line + 1;
    if (!node["name"]) {
        m_in.fail(node, keyPath(path, "name"), "is missing; every rule needs a unique name");
    }
    rule.name = m_in.text(node["name"], keyPath(path, "name"), "a non-empty rule name");
    if (const YAML::Node description = node["description"]) {
        if (!description.IsScalar()) {
            m_in.fail(description, keyPath(path, "description"), "must be text");
        }
        rule.description = description.Scalar();
    }
    if (const YAML::Node when = node["when"]) {
        readWhen(when, keyPath(path, "when"), rule.when);
    }
    if (!node["requires"]) {
        m_in.fail(node, keyPath(path, "requires"),
            "is missing; say who must approve, e.g. {approvals: 1, approver_roles: [finance]}");
    }
    readRequires(node["requires"], keyPath(path, "requires"), rule);

    if (const YAML::Node actions = node["gates_actions"]) {
        static const std::regex actionPattern("[a-z0-9_]+\\.[a-z0-9_.]+");
        const std::string actionsPath = keyPath(path, "gates_actions");
        for (auto& [action, at] : m_in.names(actions, actionsPath, "action id", false)) {
            if (!std::regex_match(action, actionPattern)) {
                m_in.fail(at, actionsPath,
                    "\"" + action
                        + "\" is not an action id; expected plugin.action, such as stripe.refund");
            }
            rule.gatesActions.push_back(action);
        }
    }
    return rule;
}

void RuleReader::readWhen(const YAML::Node& node, const std::string& path, RuleMatch& when) const
{
    m_in.checkKeys(node, path, { "type", "types", "amount_over", "amount_at_least", "fields" });
    if (node["type"] && node["types"]) {
        m_in.fail(node["types"], keyPath(path, "types"), "give either type or types, not both");
    }
    const char* typeKey = node["types"] ? "types" : "type";
    if (const YAML::Node types = node[typeKey]) {
        const std::string typesPath = keyPath(path, typeKey);
        for (auto& [type, at] : m_in.names(types, typesPath, "case type", true)) {
            // A misspelt type would silently never match, leaving its cases without the rule.
            bool known = false;
            for (const QueueDef& q : m_config.queues) {
                known = known || contains(q.types, type);
            }
            if (!known) {
                m_in.fail(at, typesPath,
                    "type " + type
                        + " is not routed by any queue; add it to a queue's types (is it "
                          "misspelt?)");
            }
            when.types.push_back(type);
        }
    }
    if (const YAML::Node over = node["amount_over"]) {
        readThresholds(over, keyPath(path, "amount_over"), when.amountOver, when);
    }
    if (const YAML::Node atLeast = node["amount_at_least"]) {
        readThresholds(atLeast, keyPath(path, "amount_at_least"), when.amountAtLeast, when);
    }
    if (const YAML::Node fields = node["fields"]) {
        const std::string fieldsPath = keyPath(path, "fields");
        if (!fields.IsMap()) {
            m_in.fail(
                fields, fieldsPath, "must be a map of field name to value, such as {region: EU}");
        }
        for (const auto& kv : fields) {
            const std::string key
                = m_in.text(kv.first, fieldsPath, "a map with non-empty field names");
            if (when.fields.count(key) != 0) {
                m_in.fail(kv.first, keyPath(fieldsPath, key), "is given twice; give it once");
            }
            if (!kv.second.IsScalar()) {
                m_in.fail(
                    kv.second, keyPath(fieldsPath, key), "must be a single value to compare with");
            }
            when.fields[key] = kv.second.Scalar();
        }
    }
}

// Accepts "1000.00 USD", a list of such strings, or a map {USD: "1000.00"}. One threshold per
// currency per rule: two would leave it unclear which one decides.
void RuleReader::readThresholds(const YAML::Node& node, const std::string& path,
    std::map<std::string, Money>& into, const RuleMatch& when) const
{
    const std::string expected = "; expected an amount such as \"1000.00 USD\", a list of them, or "
                                 "a map such as {USD: \"1000.00\", EUR: \"900.00\"}";
    const auto add = [&](const YAML::Node& at, const std::string& atPath, Expected<Money> money) {
        if (!money) {
            m_in.fail(at, atPath, withoutFinalStop(money.failure().message) + expected);
        }
        if (money->minor < 0) {
            m_in.fail(
                at, atPath, formatMoney(*money) + " is negative; a threshold must be 0 or more");
        }
        const std::string& currency = money->currency;
        if (into.count(currency) != 0 || when.amountOver.count(currency) != 0
            || when.amountAtLeast.count(currency) != 0) {
            m_in.fail(at, atPath,
                "a threshold for " + currency
                    + " is already given for this rule; give each currency once");
        }
        into[currency] = std::move(*money);
    };
    if (node.IsScalar()) {
        add(node, path, parseMoney(node.Scalar()));
    } else if (node.IsSequence() && node.size() > 0) {
        std::size_t i = 0;
        for (const auto& item : node) {
            const std::string itemPath = indexPath(path, i++);
            if (!item.IsScalar()) {
                m_in.fail(item, itemPath, "must be an amount" + expected);
            }
            add(item, itemPath, parseMoney(item.Scalar()));
        }
    } else if (node.IsMap() && node.size() > 0) {
        for (const auto& kv : node) {
            const std::string currency = m_in.text(kv.first, path, "a map of currency to amount");
            const std::string itemPath = keyPath(path, currency);
            if (!kv.second.IsScalar()) {
                m_in.fail(kv.second, itemPath, "must be an amount such as \"1000.00\"");
            }
            add(kv.second, itemPath, parseAmount(kv.second.Scalar(), currency));
        }
    } else {
        m_in.fail(node, path, "is empty or not an amount" + expected);
    }
}

void RuleReader::readRequires(const YAML::Node& node, const std::string& path, Rule& rule) const
{
    m_in.checkKeys(
        node, path, { "approvals", "approver_roles", "stages", "approver_not", "expires_after" });
    if (const YAML::Node stages = node["stages"]) {
        if (node["approvals"] || node["approver_roles"]) {
            m_in.fail(node["approvals"] ? node["approvals"] : node["approver_roles"], path,
                "give either stages or approvals with approver_roles, not both");
        }
        const std::string stagesPath = keyPath(path, "stages");
        if (!stages.IsSequence() || stages.size() == 0) {
            m_in.fail(stages, stagesPath,
                "must be a list of {approvals: N, approver_roles: [...]}, one per stage, in order");
        }
        std::size_t i = 0;
        for (const auto& stage : stages) {
            rule.stages.push_back(readStage(stage, indexPath(stagesPath, i++), false));
        }
    } else {
        rule.stages.push_back(readStage(node, path, true));
    }

    // Preparer and requester are excluded whatever the file says; writing approver_not without
    // them reads like an attempt to relax the two-person rule, so it is refused rather than
    // ignored.
    rule.approverNot = { Exclusion::Preparer, Exclusion::Requester };
    if (const YAML::Node excluded = node["approver_not"]) {
        const std::string notPath = keyPath(path, "approver_not");
        std::vector<std::string> listed;
        for (auto& [who, at] : m_in.names(excluded, notPath, "person kind", false)) {
            if (who == "assignee") {
                rule.approverNot.insert(Exclusion::Assignee);
            } else if (who != "preparer" && who != "requester") {
                m_in.fail(
                    at, notPath, "\"" + who + "\" is not one of preparer, requester, assignee");
            }
            listed.push_back(who);
        }
        if (!contains(listed, "preparer") || !contains(listed, "requester")) {
            m_in.fail(excluded, notPath,
                "must list both preparer and requester: the two-person rule cannot be relaxed");
        }
    }

    if (const YAML::Node expires = node["expires_after"]) {
        static const std::regex durationPattern("([1-9][0-9]{0,5})([mhd])");
        const std::string expiresPath = keyPath(path, "expires_after");
        const std::string expected = "a duration such as 30m, 72h or 7d";
        const std::string value = m_in.text(expires, expiresPath, expected);
        std::smatch m;
        if (!std::regex_match(value, m, durationPattern)) {
            m_in.fail(expires, expiresPath, "must be " + expected + ", not \"" + value + "\"");
        }
        const std::int64_t count = std::stoll(m[1].str());
        const char unit = m[2].str()[0];
        const std::int64_t minutes
            = unit == 'm' ? count : (unit == 'h' ? count * 60 : count * 1440);
        rule.approvalExpiry = std::chrono::minutes(minutes);
    }
}

ApprovalStage RuleReader::readStage(
    const YAML::Node& node, const std::string& path, bool shorthand) const
{
    if (!shorthand) {
        m_in.checkKeys(node, path, { "approvals", "approver_roles" });
    }
    ApprovalStage stage;
    const YAML::Node approvals = node["approvals"];
    const YAML::Node roles = node["approver_roles"];
    if (!approvals || !roles) {
        m_in.fail(node, keyPath(path, approvals ? "approver_roles" : "approvals"),
            "is missing; a stage needs approvals (how many people) and approver_roles (which roles "
            "may approve), or use stages: [...]");
    }
    stage.approvals = static_cast<std::uint32_t>(
        m_in.whole(approvals, keyPath(path, "approvals"), 1, kMaxApprovalsPerStage));
    const std::string rolesPath = keyPath(path, "approver_roles");
    for (auto& [role, at] : m_in.names(roles, rolesPath, "role name", true)) {
        m_in.requireRole(at, rolesPath, role, m_config.roles);
        stage.approverRoles.push_back(role);
    }
    if (stage.approverRoles.empty()) {
        m_in.fail(roles, rolesPath, "must name at least one role that may approve");
    }
    return stage;
}

} // namespace latch::core
