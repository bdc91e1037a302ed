#include "column_map.hpp"

#include <attune/error.hpp>

#include <algorithm>
#include <cctype>

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

std::string lower(std::string s) {
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
    if (spec.find("{n}") == std::string::npos && spec.find("{id}") == std::string::npos) {
      throw UsageError("column pattern '" + spec + "' has neither {n} nor {id}", {}, "a pattern such as 'Q{n}' or 'ecr_{id}'");
    }
  } else if (spec.find('=') != std::string::npos) {
    m.mode = Mode::pairs;
    for (const auto& part : split(spec, ',')) {
      auto eq = part.find('=');
      if (eq == std::string::npos) throw UsageError("column mapping '" + part + "' has no '='", {}, "item=column pairs separated by commas");
      m.pairs.emplace_back(trim(part.substr(0, eq)), trim(part.substr(eq + 1)));
    }
  } else {
    m.mode = Mode::list;
    for (const auto& part : split(spec, ',')) m.columns.push_back(trim(part));
  }
  return m;
}

namespace io {

int find_column(const std::vector<std::string>& header, const std::string& name, const std::string& file, const char* role) {
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
  if (found < 0) {
    std::string hint;
    for (const auto& h : header) {
      if (lower(h) == lower(name)) { hint = "; a column '" + h + "' differs only in case"; break; }
    }
    Location where;
    where.file = file;
    where.column_name = name;
    std::string cols;
    for (std::size_t c = 0; c < header.size() && c < 12; ++c) cols += (c ? ", " : "") + header[c];
    if (header.size() > 12) cols += ", ...";
    throw DataError(std::string("no column for ") + role + hint, where, "a header column named '" + name + "' (header: " + cols + ")");
  }
  return found;
}

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
        std::string name = m.pattern;
        for (std::size_t p; (p = name.find("{n}")) != std::string::npos;) name.replace(p, 3, std::to_string(ins.items[i].position));
        for (std::size_t p; (p = name.find("{id}")) != std::string::npos;) name.replace(p, 4, ins.items[i].id);
        wanted[i] = name;
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
        int idx = plan.item_index(item);
        if (idx < 0) {
          Location where;
          where.item = item;
          throw UsageError("mapping names unknown item '" + item + "'", where, "an item id of " + ins.id);
        }
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
      cols[i] = find_column(header, wanted[i], file, ("item " + ins.items[i].id).c_str());
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
