#pragma once
// Typed access to a JSON document that remembers where it is, so every validation error names the
// file and the RFC 6901 path of the offending value. Internal to the library.
#include <attune/error.hpp>
#include <attune/limits.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace attune::detail {

using json = nlohmann::json;

class JsonNode {
 public:
  JsonNode(const json& value, std::string path, const std::string& file, ErrorKind kind)
      : v_(value), path_(std::move(path)), file_(file), kind_(kind) {}

  const json& raw() const { return v_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void fail(const std::string& message, const std::string& expected = {}) const {
    Location where;
    where.file = file_;
    where.json_path = path_.empty() ? "/" : path_;
    if (v_.is_primitive() && !v_.is_null()) {
      std::string shown = v_.dump();
      if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
      where.value = shown;
    }
    throw Error(kind_, message, where, expected);
  }

  bool has(const char* key) const { return v_.is_object() && v_.contains(key); }

  JsonNode at(const char* key) const {
    require_object();
    auto it = v_.find(key);
    if (it == v_.end()) {
      JsonNode(v_, path_, file_, kind_).fail(std::string("missing field '") + key + "'", "a field named '" + std::string(key) + "'");
    }
    return JsonNode(*it, path_ + "/" + escape(key), file_, kind_);
  }
  JsonNode at(std::size_t index) const { return JsonNode(v_.at(index), path_ + "/" + std::to_string(index), file_, kind_); }
  JsonNode child(const std::string& key) const { return JsonNode(v_.at(key), path_ + "/" + escape(key), file_, kind_); }

  void require_object() const { if (!v_.is_object()) fail("wrong type: " + type_name(), "an object"); }
  void require_array() const { if (!v_.is_array()) fail("wrong type: " + type_name(), "an array"); }
  std::size_t size() const { return v_.size(); }

  std::string str() const {
    if (!v_.is_string()) fail("wrong type: " + type_name(), "a string");
    return v_.get<std::string>();
  }
  std::string nonempty_str() const {
    std::string s = str();
    if (s.empty()) fail("empty string", "a non-empty string");
    return s;
  }
  double number() const {
    if (!v_.is_number()) fail("wrong type: " + type_name(), "a number");
    double d = v_.get<double>();
    if (!(d == d) || d > 1e300 || d < -1e300) fail("number out of range", "a finite number");
    return d;
  }
  long integer(long lo, long hi) const {
    if (!v_.is_number_integer()) fail("wrong type: " + type_name(), "an integer");
    // nlohmann stores every non-negative literal as unsigned, so the lower bound applies there too
    // (a position of 0 once passed and indexed item -1).
    if (v_.is_number_unsigned() ? (v_.get<unsigned long long>() > static_cast<unsigned long long>(hi) ||
                                   (lo > 0 && v_.get<unsigned long long>() < static_cast<unsigned long long>(lo)))
                                : (v_.get<long long>() < lo || v_.get<long long>() > hi)) {
      fail("integer out of range", "an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    return static_cast<long>(v_.get<long long>());
  }
  bool boolean() const {
    if (!v_.is_boolean()) fail("wrong type: " + type_name(), "true or false");
    return v_.get<bool>();
  }

  // Unknown fields are errors: a misspelt key must not silently change scoring. Fields named
  // note/notes and any field starting with x_ are free for comments and extensions.
  void allow_only(std::initializer_list<const char*> keys) const {
    require_object();
    for (auto it = v_.begin(); it != v_.end(); ++it) {
      const std::string& k = it.key();
      if (k == "note" || k == "notes" || k.rfind("x_", 0) == 0) continue;
      bool known = false;
      std::string list;
      for (const char* allowed : keys) {
        if (k == allowed) known = true;
        if (!list.empty()) list += ", ";
        list += allowed;
      }
      if (!known) child(k).fail("unknown field '" + k + "'", "one of: " + list);
    }
  }

  std::string type_name() const { return v_.type_name(); }

 private:
  static std::string escape(const std::string& key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  const json& v_;
  std::string path_;
  const std::string& file_;
  ErrorKind kind_;
};

// Parses JSON text with a nesting limit, turning syntax errors into attune errors of `kind`.
json parse_json(const std::string& text, const std::string& file, ErrorKind kind, std::size_t max_depth = 64);

// kMaxJsonDocumentBytes (attune/limits.hpp) for text handed over in memory (the *_from_json_text
// functions, the bindings): LimitError naming the source and the size. parse_json checks it too.
void check_document_size(std::size_t size, const std::string& file, const char* what = "JSON document");
[[noreturn]] void document_too_large(const std::string& file, const std::string& what, std::size_t max_bytes,
                                     std::uint64_t size, bool exact);

}  // namespace attune::detail
