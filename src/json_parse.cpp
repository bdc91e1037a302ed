#include "json_walk.hpp"

#include <unordered_set>
#include <vector>

namespace attune::detail {

namespace {

// Where the parser is, for errors: one frame per open object or array. nlohmann keeps the last of
// two equal keys without a word; tracking the keys seen per object lets us refuse instead.
struct Frame {
  bool object = false;
  std::size_t index = 0;               // arrays: the element being read
  std::string key;                     // objects: the member being read
  std::unordered_set<std::string> keys;
};

std::string pointer_escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer(const std::vector<Frame>& stack) {
  std::string p;
  for (const Frame& f : stack) p += "/" + (f.object ? pointer_escape(f.key) : std::to_string(f.index));
  return p;
}

class Tracker {
 public:
  Tracker(const std::string& file, ErrorKind kind, std::size_t max_depth) : file_(file), kind_(kind), max_depth_(max_depth) {}

  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    if (static_cast<std::size_t>(depth) > max_depth_) too_deep();
    switch (event) {
      case json::parse_event_t::object_start: stack_.push_back(Frame{true, 0, {}, {}}); break;
      case json::parse_event_t::array_start: stack_.push_back(Frame{false, 0, {}, {}}); break;
      case json::parse_event_t::key: on_key(parsed.get<std::string>()); break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!stack_.empty()) stack_.pop_back();
        next_element();
        break;
      case json::parse_event_t::value: next_element(); break;
    }
    return true;
  }

 private:
  void on_key(std::string key) {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    if (!f.keys.insert(key).second) {
      Location where;
      where.file = file_;
      const std::string parent = pointer(std::vector<Frame>(stack_.begin(), stack_.end() - 1));
      where.json_path = parent + "/" + pointer_escape(key);
      where.value = key;
      throw Error(kind_, "duplicate key '" + key + "' in the object at " + (parent.empty() ? "/" : parent), where,
                  "each key once per object");
    }
    f.key = std::move(key);
  }
  void next_element() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
  }
  [[noreturn]] void too_deep() const {
    Location where;
    where.file = file_;
    throw Error(ErrorKind::limit, "JSON nested deeper than " + std::to_string(max_depth_) + " levels", where,
                "at most " + std::to_string(max_depth_) + " levels of nesting");
  }

  const std::string& file_;
  ErrorKind kind_;
  std::size_t max_depth_;
  std::vector<Frame> stack_;
};

}  // namespace

json parse_json(const std::string& text, const std::string& file, ErrorKind kind, std::size_t max_depth) {
  // The size first: text handed over in memory (bindings, *_from_json_text) meets the same limit
  // as a file read with read_document.
  check_document_size(text.size(), file);
  // The callback sees every value's depth; refusing deep documents early bounds memory and keeps
  // recursive consumers (and the destructor) safe from hostile nesting. It also refuses a key given
  // twice in one object, which nlohmann would resolve silently (the last value wins).
  Tracker tracker(file, kind, max_depth);
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) { return tracker(depth, event, parsed); };
  try {
    return json::parse(text, callback, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into line and column, which is what an editor shows.
    std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    if (offset > text.size()) offset = text.size();
    std::int64_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    Location where;
    where.file = file;
    where.line = line;
    where.column = col;
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw Error(kind, "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos)), where,
                "well-formed JSON (RFC 8259)");
  } catch (const json::exception& e) {
    // Numbers that do not fit a double, invalid UTF-8 and the like.
    Location where;
    where.file = file;
    throw Error(kind, std::string("invalid JSON: ") + e.what(), where, "well-formed JSON with finite numbers");
  }
}

}  // namespace attune::detail
