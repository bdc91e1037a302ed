// Text packs: validated strictly, because a pack with a missing or misnumbered item would show a
// person the wrong statement next to an answer that is then scored.
#include "../json_walk.hpp"

#include <attune/error.hpp>
#include <attune/text_pack.hpp>

#include <fstream>
#include <sstream>

namespace attune {

// The JSON walker throws the base Error; callers catch TextPackError (or LimitError for the nesting limit).
TextPack TextPack::from_json_text(const std::string& text, const std::string& source_name, const Instrument& ins) {
  try {
    return parse(text, source_name, ins);
  } catch (const TextPackError&) {
    throw;
  } catch (const Error& e) {
    // A documented limit keeps its own kind (exit 7), like everywhere else; any other fault inside
    // the pack (syntax, a bad field) is a bad pack.
    if (e.kind() == ErrorKind::limit) throw LimitError(e.message(), e.where(), e.expected());
    if (e.kind() != ErrorKind::text_pack) throw;
    throw TextPackError(e.message(), e.where(), e.expected());
  }
}

TextPack TextPack::parse(const std::string& text, const std::string& source_name, const Instrument& ins) {
  using detail::JsonNode;
  detail::json doc = detail::parse_json(text, source_name, ErrorKind::text_pack);
  JsonNode root(doc, "", source_name, ErrorKind::text_pack);
  root.allow_only({"format", "instrument", "lang", "instructions", "anchors", "items"});
  TextPack tp;
  tp.source_ = source_name;
  JsonNode fmt = root.at("format");
  if (fmt.str() != "attune-text-pack/1") fmt.fail("unsupported format '" + fmt.str() + "'", "\"attune-text-pack/1\"");
  JsonNode id = root.at("instrument");
  tp.instrument_id_ = id.nonempty_str();
  if (tp.instrument_id_ != ins.id) id.fail("text pack is for instrument '" + tp.instrument_id_ + "', not '" + ins.id + "'", "\"" + ins.id + "\"");
  tp.lang_ = root.at("lang").nonempty_str();
  if (root.has("instructions")) tp.instructions_ = root.at("instructions").nonempty_str();

  JsonNode anchors = root.at("anchors");
  anchors.require_object();
  const int lo = ins.response_scale.min, hi = ins.response_scale.max;
  for (auto it = anchors.raw().begin(); it != anchors.raw().end(); ++it) {
    JsonNode v = anchors.child(it.key());
    int value = 0;
    std::size_t used = 0;
    try {
      value = std::stoi(it.key(), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != it.key().size() || value < lo || value > hi) {
      v.fail("anchor key '" + it.key() + "' is not a response value", "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    tp.anchors_[value] = v.nonempty_str();
  }
  for (int x = lo; x <= hi; ++x) {
    if (!tp.anchors_.count(x)) anchors.fail("no anchor for response value " + std::to_string(x), "one anchor per value " + std::to_string(lo) + ".." + std::to_string(hi));
  }

  JsonNode items = root.at("items");
  items.require_object();
  for (auto it = items.raw().begin(); it != items.raw().end(); ++it) {
    JsonNode v = items.child(it.key());
    if (!ins.find_item(it.key())) v.fail("unknown item id '" + it.key() + "' for " + ins.id, "an item id of " + ins.id + " (e.g. " + ins.items.front().id + ")");
    tp.items_[it.key()] = v.nonempty_str();
  }
  std::string absent;
  std::size_t n_absent = 0;
  for (const auto& item : ins.items) {
    if (tp.items_.count(item.id)) continue;
    if (n_absent++ < 5) absent += (absent.empty() ? "" : ", ") + item.id;
  }
  if (n_absent) {
    if (n_absent > 5) absent += ", ...";
    items.fail(std::to_string(n_absent) + " item(s) without wording: " + absent, "wording for every one of the " + std::to_string(ins.items.size()) + " items");
  }
  return tp;
}

TextPack TextPack::from_file(const std::string& path, const Instrument& ins) {
  return from_json_text(read_document(path, "text pack"), path, ins);
}

const std::string& TextPack::item(const std::string& item_id) const {
  auto it = items_.find(item_id);
  if (it == items_.end()) {
    Location where;
    where.item = item_id;
    throw UsageError("no wording for this item", where);
  }
  return it->second;
}

const std::string& TextPack::anchor(int value) const {
  auto it = anchors_.find(value);
  if (it == anchors_.end()) {
    Location where;
    where.value = std::to_string(value);
    throw UsageError("no anchor for this response value", where);
  }
  return it->second;
}

}  // namespace attune
