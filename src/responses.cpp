#include <attune/responses.hpp>
#include <attune/error.hpp>

#include "json_walk.hpp"
#include "plan_data.hpp"
#include "charconv_compat.hpp"
#include "validate_answer.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace attune {

Responses::Responses(const ScoringPlan& plan) : plan_(&plan), values_(plan.item_count(), std::nan("")) {}

namespace {

// A key of an answers document: an item id, or a position number given as a string ("12").
int answer_key_index(const detail::PlanData& d, const std::string& key) {
  auto it = d.item_by_id.find(key);
  if (it != d.item_by_id.end()) return it->second;
  if (!key.empty() && key.size() < 7 && key.find_first_not_of("0123456789") == std::string::npos) {
    int pos = std::stoi(key);
    if (pos >= 1 && static_cast<std::size_t>(pos) <= d.n_items) return d.item_by_position[static_cast<std::size_t>(pos - 1)];
  }
  return -1;
}

}  // namespace

int Responses::index_of(const std::string& key) const { return answer_key_index(plan_->data(), key); }

void Responses::set_index(int index, double value) {
  const auto& d = plan_->data();
  if (!detail::answer_ok(value, d.data_min, d.data_max)) {
    Location where;
    where.item = d.instrument.items[static_cast<std::size_t>(index)].id;
    where.value = detail::show_value(value);
    throw AnswerError(detail::answer_problem(value, d.data_min, d.data_max), where, detail::answer_expectation(d.data_min, d.data_max));
  }
  values_[static_cast<std::size_t>(index)] = value;
}

void Responses::set(const std::string& item_id, double value) {
  auto it = plan_->data().item_by_id.find(item_id);
  if (it == plan_->data().item_by_id.end()) {
    Location where;
    where.item = item_id;
    throw UsageError("unknown item '" + item_id + "' for instrument " + plan_->instrument().id, where, "an item id of the instrument");
  }
  set_index(it->second, value);
}

void Responses::set_position(int position, double value) {
  const auto& d = plan_->data();
  if (position < 1 || static_cast<std::size_t>(position) > d.n_items) {
    Location where;
    where.value = std::to_string(position);
    throw UsageError("no item at position " + std::to_string(position), where, "a position from 1 to " + std::to_string(d.n_items));
  }
  set_index(d.item_by_position[static_cast<std::size_t>(position - 1)], value);
}

void Responses::set_missing(const std::string& item_id) {
  int i = index_of(item_id);
  if (i < 0) {
    Location where;
    where.item = item_id;
    throw UsageError("unknown item '" + item_id + "'", where, "an item id of the instrument");
  }
  values_[static_cast<std::size_t>(i)] = std::nan("");
}

void Responses::set_by_key(const std::string& key, double value) {
  int i = index_of(key);
  if (i < 0) {
    Location where;
    where.item = key;
    throw UsageError("unknown item '" + key + "' for instrument " + plan_->instrument().id, where,
                     "an item id or a position from 1 to " + std::to_string(plan_->item_count()));
  }
  set_index(i, value);
}

void Responses::clear() { std::fill(values_.begin(), values_.end(), std::nan("")); }

std::size_t Responses::answered() const {
  std::size_t n = 0;
  for (double v : values_) n += std::isnan(v) ? 0 : 1;
  return n;
}

namespace {

// The flat reader's position in the text. Each step returns false on anything it does not expect,
// and the full parser then reports it.
struct FlatCursor {
  const char* p;
  const char* end;

  void skip_space() {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) ++p;
  }
  bool take(char c) {
    if (p == end || *p != c) return false;
    ++p;
    return true;
  }
  bool at_end() {
    skip_space();
    return p == end;
  }
  // A key without escapes: one with a backslash goes to the full parser, which decodes it.
  bool key(std::string& out) {
    if (!take('"')) return false;
    const char* k = p;
    while (p < end && *p != '"' && *p != '\\') ++p;
    if (p == end || *p != '"') return false;
    out.assign(k, static_cast<std::size_t>(p - k));
    ++p;
    return true;
  }
  // null (not answered: `out` stays NaN) or a number that is a valid answer.
  bool answer(const detail::PlanData& d, double& out) {
    if (end - p >= 4 && std::memcmp(p, "null", 4) == 0) {
      p += 4;
      return true;
    }
    double v = 0;
    const char* num_end = detail::parse_double(p, end, v);
    if (!num_end || !detail::answer_ok(v, d.data_min, d.data_max)) return false;
    p = num_end;
    out = v;
    return true;
  }
};

// One "key": answer pair; an unknown item or one answered twice goes to the full parser.
bool read_flat_answer(FlatCursor& c, const detail::PlanData& d, std::string& key, std::vector<char>& seen, std::vector<double>& values) {
  c.skip_space();
  if (!c.key(key)) return false;
  c.skip_space();
  if (!c.take(':')) return false;
  c.skip_space();
  const int index = answer_key_index(d, key);
  if (index < 0 || seen[static_cast<std::size_t>(index)]) return false;
  seen[static_cast<std::size_t>(index)] = 1;
  return c.answer(d, values[static_cast<std::size_t>(index)]);
}

// The common case, a flat object of plain keys and numbers or nulls, parsed without building a JSON
// document. Anything else (escapes, other types, bad values, unknown or repeated items) returns
// false and the full parser below reports it precisely.
bool parse_flat_answers(const ScoringPlan& plan, const std::string& text, std::vector<double>& values) {
  const auto& d = plan.data();
  FlatCursor c{text.data(), text.data() + text.size()};
  std::vector<char> seen(d.n_items, 0);
  c.skip_space();
  if (!c.take('{')) return false;
  c.skip_space();
  if (c.take('}')) return c.at_end();
  std::string key;
  for (;;) {
    if (!read_flat_answer(c, d, key, seen, values)) return false;
    c.skip_space();
    if (c.take(',')) continue;
    return c.take('}') && c.at_end();
  }
}

}  // namespace

Responses responses_from_json(const ScoringPlan& plan, const std::string& text, const std::string& source) {
  detail::check_document_size(text.size(), source, "answers");
  {
    Responses fast(plan);
    if (parse_flat_answers(plan, text, fast.values_)) return fast;
  }
  const detail::json doc = detail::parse_json(text, source, ErrorKind::answer);
  detail::JsonNode root(doc, "", source, ErrorKind::answer);
  if (!doc.is_object()) root.fail("answers are not a JSON object", "an object mapping item ids (or positions) to answers");
  Responses r(plan);
  std::vector<char> seen(plan.item_count(), 0);
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    detail::JsonNode v = root.child(it.key());
    int index = r.index_of(it.key());
    if (index < 0) {
      Location where;
      where.file = source;
      where.json_path = v.path();
      where.item = it.key();
      // A key of the answers document is data, like an answer out of range: exit 4, not usage.
      throw AnswerError("unknown item '" + it.key() + "' for instrument " + plan.instrument().id, where,
                        "an item id or a position from 1 to " + std::to_string(plan.item_count()));
    }
    if (seen[static_cast<std::size_t>(index)]) v.fail("item answered twice (by id and by position)", "each item once");
    seen[static_cast<std::size_t>(index)] = 1;
    if (it->is_null()) continue;
    if (!it->is_number()) v.fail("answer is " + std::string(it->type_name()), "a number or null (missing)");
    try {
      r.set_index(index, it->get<double>());
    } catch (Error& e) {
      Location where = e.where();
      where.file = source;
      where.json_path = v.path();
      throw AnswerError(e.message(), where, e.expected());
    }
  }
  return r;
}

}  // namespace attune
