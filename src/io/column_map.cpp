#include "column_map.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace attune {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) { out.push_back(cur); cur.clear(); }
    else cur.push_back(c);
  }
  out.push_back(cur);
  return out;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string lower_name(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

ColumnMapping ColumnMapping::parse(const std::string& spec) {
  ColumnMapping m;
  if (spec.empty()) return m;
  if (spec.find('{') != std::string::npos) {
    m.mode = Mode::pattern;
    m.pattern = spec;
    // Expanding once checks every placeholder, so a typo is refused here rather than at the header.
    bool uses_item = false;
    (void)io::expand_pattern(spec, 1, "x", &uses_item);
    if (!uses_item) throw UsageError("column pattern '" + spec + "' has neither {n} nor {id}", {}, "a pattern such as 'Q{n}', 'ECR_{n:02}' or 'ecr_{id}'");
  } else if (spec.find('=') != std::string::npos) {
    m.mode = Mode::pairs;
    std::set<std::string> items;
    for (const auto& part : split(spec, ',')) {
      auto eq = part.find('=');
      if (eq == std::string::npos) throw UsageError("column mapping '" + part + "' has no '='", {}, "item=column pairs separated by commas");
      std::string item = trim(part.substr(0, eq));
      // A second pair for one item would silently replace the first: which one was meant is a guess.
      if (!items.insert(lower_name(item)).second) {
        Location where;
        where.item = item;
        throw UsageError("column mapping names item '" + item + "' twice", where, "each item in one item=column pair");
      }
      m.pairs.emplace_back(item, trim(part.substr(eq + 1)));
    }
  } else {
    m.mode = Mode::list;
    for (const auto& part : split(spec, ',')) m.columns.push_back(trim(part));
  }
  return m;
}

namespace io {

int find_column(const std::vector<std::string>& header, const std::string& name, const std::string& file, const char* role, bool fold_case) {
  int found = -1;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] != name) continue;
    if (found >= 0) {
      Location where;
      where.file = file;
      where.row = 0;
      where.column = static_cast<std::int64_t>(c) + 1;
      where.column_name = name;
      throw DataError(std::string("duplicate column name for ") + role, where, "each mapped column name once in the header");
    }
    found = static_cast<int>(c);
  }
  if (found >= 0) return found;
  std::vector<std::size_t> folded;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (lower_name(header[c]) == lower_name(name)) folded.push_back(c);
  }
  if (fold_case && folded.size() == 1) return static_cast<int>(folded[0]);
  Location where;
  where.file = file;
  where.column_name = name;
  if (fold_case && folded.size() > 1) {
    where.column = static_cast<std::int64_t>(folded[1]) + 1;
    throw DataError(std::string("columns '") + header[folded[0]] + "' and '" + header[folded[1]] + "' both match " + role +
                        " when case is ignored",
                    where, "one column per item whatever its case, or --map naming the column");
  }
  std::string hint = folded.empty() ? "" : "; a column '" + header[folded[0]] + "' differs only in case";
  std::string cols;
  for (std::size_t c = 0; c < header.size() && c < 12; ++c) cols += (c ? ", " : "") + header[c];
  if (header.size() > 12) cols += ", ...";
  throw DataError(std::string("no column for ") + role + hint, where, "a header column named '" + name + "' (header: " + cols + ")");
}

void check_unique_output(const std::vector<std::string>& columns, std::size_t first_kept, std::size_t end_kept) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    for (std::size_t j = i + 1; j < columns.size(); ++j) {
      if (columns[i] != columns[j]) continue;
      Location where;
      where.column_name = columns[i];
      if (i >= first_kept && j < end_kept) throw UsageError("--keep names column '" + columns[i] + "' twice", where, "each kept column once");
      throw UsageError("kept column '" + columns[i] + "' has the name of an output column", where,
                       "--keep columns named unlike the score columns (rename the column in the input, or leave it out of --keep)");
    }
  }
}

namespace {

// An item named in --map pairs: its exact id, else the one id equal to it when case is ignored.
int item_named(const ScoringPlan& plan, const std::string& name) {
  int idx = plan.item_index(name);
  if (idx >= 0) return idx;
  const auto& items = plan.instrument().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (lower_name(items[i].id) != lower_name(name)) continue;
    if (idx >= 0) return -1;
    idx = static_cast<int>(i);
  }
  return idx;
}

}  // namespace

std::vector<int> map_item_columns(const ScoringPlan& plan, const std::vector<std::string>& header,
                                  const ColumnMapping& m, const std::string& file) {
  const Instrument& ins = plan.instrument();
  std::vector<int> cols(plan.item_count(), -1);
  std::vector<std::string> wanted(plan.item_count());
  switch (m.mode) {
    case ColumnMapping::Mode::by_id:
      for (std::size_t i = 0; i < ins.items.size(); ++i) wanted[i] = ins.items[i].id;
      break;
    case ColumnMapping::Mode::pattern:
      for (std::size_t i = 0; i < ins.items.size(); ++i) {
        wanted[i] = expand_pattern(m.pattern, ins.items[i].position, ins.items[i].id);
      }
      break;
    case ColumnMapping::Mode::list:
      if (m.columns.size() != ins.items.size()) {
        throw UsageError("column list names " + std::to_string(m.columns.size()) + " columns for " + std::to_string(ins.items.size()) + " items",
                         {}, "one column per item, in position order");
      }
      for (std::size_t i = 0; i < ins.items.size(); ++i) wanted[i] = m.columns[static_cast<std::size_t>(ins.items[i].position - 1)];
      break;
    case ColumnMapping::Mode::pairs:
      for (const auto& [item, col] : m.pairs) {
        int idx = item_named(plan, item);
        Location where;
        where.item = item;
        if (idx < 0) throw UsageError("mapping names unknown item '" + item + "'", where, "an item id of " + ins.id);
        if (!wanted[static_cast<std::size_t>(idx)].empty())
          throw UsageError("column mapping names item '" + ins.items[static_cast<std::size_t>(idx)].id + "' twice", where, "each item in one item=column pair");
        wanted[static_cast<std::size_t>(idx)] = col;
      }
      for (std::size_t i = 0; i < ins.items.size(); ++i) {
        if (wanted[i].empty()) {
          Location where;
          where.item = ins.items[i].id;
          throw UsageError("mapping gives no column for item '" + ins.items[i].id + "'", where, "item=column for every item");
        }
      }
      break;
  }
  for (std::size_t i = 0; i < cols.size(); ++i) {
    try {
      // Columns named like the item ids may differ from them in case (Q1 for q1): where exactly one
      // column matches, that is no guess.
      cols[i] = find_column(header, wanted[i], file, ("item " + ins.items[i].id).c_str(), m.mode == ColumnMapping::Mode::by_id);
    } catch (const DataError& e) {
      std::string hint = m.mode == ColumnMapping::Mode::by_id ? " (map columns with --map, e.g. --map 'Q{n}')" : "";
      Location where = e.where();
      where.item = ins.items[i].id;
      throw DataError(e.message() + hint, where, e.expected());
    }
  }
  // Two items on one column is a mapping mistake, not a choice.
  for (std::size_t i = 0; i < cols.size(); ++i) {
    for (std::size_t j = i + 1; j < cols.size(); ++j) {
      if (cols[i] == cols[j]) {
        Location where;
        where.file = file;
        where.column = cols[i] + 1;
        where.column_name = header[static_cast<std::size_t>(cols[i])];
        throw UsageError("items " + ins.items[i].id + " and " + ins.items[j].id + " map to the same column", where, "one column per item");
      }
    }
  }
  return cols;
}

}  // namespace io
}  // namespace attune
