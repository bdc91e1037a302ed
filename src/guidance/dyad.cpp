// The dyad export (couple.hpp): pairwise rows (each person's values as actor and as partner) or long
// rows, from scored couples. Every couple must have exactly two members: an APIM has no meaning for
// one person or three, so such a couple is refused by id rather than dropped in silence.
#include "long_csv.hpp"

#include <attune/couple.hpp>
#include <attune/error.hpp>
#include <attune/instrument.hpp>

#include <map>

namespace attune {

namespace {

std::map<std::string, std::vector<std::size_t>> by_couple(const std::vector<DyadMember>& members, std::vector<std::string>& order) {
  std::map<std::string, std::vector<std::size_t>> out;
  for (std::size_t k = 0; k < members.size(); ++k) {
    auto& v = out[members[k].couple];
    if (v.empty()) order.push_back(members[k].couple);
    v.push_back(k);
  }
  for (const auto& [id, v] : out) {
    if (v.size() != 2) {
      Location where;
      where.value = id;
      throw DataError("couple '" + id + "' has " + std::to_string(v.size()) + " member" + (v.size() == 1 ? "" : "s"), where,
                      "exactly two people per couple");
    }
  }
  return out;
}

std::size_t dyad_column(const detail::Record& header, const std::string& name, const std::string& source, const char* option) {
  for (std::size_t k = 0; k < header.size(); ++k) if (header[k] == name) return k;
  Location where = Location::in_file(source);
  where.column_name = name;
  throw DataError("the couples file has no column '" + name + "'", where, std::string("a column named as ") + option + " says");
}

}  // namespace

std::string dyad_export(const std::vector<DyadMember>& members, const std::vector<std::string>& names, const std::string& layout) {
  if (layout != "pairwise" && layout != "long") throw UsageError("unknown dyad layout '" + layout + "'", {}, "pairwise or long");
  std::vector<std::string> order;
  const auto couples = by_couple(members, order);
  const bool pairwise = layout == "pairwise";
  std::string out = "couple,person";
  for (const auto& n : names) out += pairwise ? "," + n + "_actor," + n + "_partner" : "," + n;
  out += "\n";
  for (const std::string& id : order) {
    const auto& ks = couples.at(id);
    for (std::size_t side = 0; side < 2; ++side) {
      const DyadMember& me = members[ks[side]];
      const DyadMember& other = members[ks[1 - side]];
      out += detail::csv_text(me.couple) + "," + detail::csv_text(me.person);
      for (std::size_t v = 0; v < names.size(); ++v) {
        out += "," + detail::csv_num(me.values[v]);
        if (pairwise) out += "," + detail::csv_num(other.values[v]);
      }
      out += "\n";
    }
  }
  return out;
}

std::vector<DyadMember> dyad_members_from_csv(std::istream& in, const std::string& source, const std::string& couple_col,
                                              const std::string& person_col, const std::string& instrument,
                                              const std::vector<std::string>& keep, std::vector<std::string>& names) {
  const Instrument ins = load_instrument(instrument);
  detail::Record rec;
  long line = 0;
  if (!detail::next_record(in, rec, line)) throw DataError("the couples file is empty", Location::in_file(source), "a header row and data rows");
  const std::size_t cc = dyad_column(rec, couple_col, source, "--couple"), pc = dyad_column(rec, person_col, source, "--person");
  std::vector<std::size_t> cols;
  names.clear();
  for (const Scale& s : ins.scales) {
    for (std::size_t k = 0; k < rec.size(); ++k) if (rec[k] == s.id) { cols.push_back(k); names.push_back(s.id); }
  }
  for (const auto& k : keep) { cols.push_back(dyad_column(rec, k, source, "--keep")); names.push_back(k); }
  std::vector<DyadMember> members;
  while (detail::next_record(in, rec, line)) {
    if (rec.size() == 1 && rec[0].empty()) continue;
    DyadMember m;
    m.couple = cc < rec.size() ? rec[cc] : std::string();
    m.person = pc < rec.size() ? rec[pc] : std::string();
    for (std::size_t v = 0; v < cols.size(); ++v) m.values.push_back(cols[v] < rec.size() ? detail::cell_number(rec[cols[v]], source, line, names[v]) : kMissing);
    members.push_back(std::move(m));
  }
  return members;
}

}  // namespace attune
