// Test fixture generator: a simple CSV (no quoted fields) -> SPSS .sav through ReadStat's writer,
// so tests never need a real (or committed binary) data file.
//
//   attune_make_sav IN.csv OUT.sav [--missing COL=CODE]... [--labels COL=CODE:TEXT;CODE:TEXT]...
//                   [--var-label COL=TEXT]... [--truncate BYTES]
//
// Columns whose non-empty cells are all numbers become doubles (empty = system-missing), the rest
// strings. --missing declares a user-missing code, --labels a value label set, --var-label a variable
// label; --truncate cuts the written file to BYTES (for the truncated-file tests).
#include <readstat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::vector<std::string> split(const std::string& s, char d) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == d) { out.push_back(cur); cur.clear(); } else if (c != '\r') cur.push_back(c);
  }
  out.push_back(cur);
  return out;
}

bool number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

ssize_t write_bytes(const void* data, size_t len, void* ctx) {
  return std::fwrite(data, 1, len, static_cast<std::FILE*>(ctx)) == len ? static_cast<ssize_t>(len) : -1;
}

int fail(const std::string& m) {
  std::cerr << "attune_make_sav: " << m << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return fail("usage: attune_make_sav IN.csv OUT.sav [--missing COL=CODE] [--labels COL=CODE:TEXT;...] [--var-label COL=TEXT] [--truncate BYTES]");
  std::map<std::string, std::vector<double>> missing;
  std::map<std::string, std::vector<std::pair<double, std::string>>> labels;
  std::map<std::string, std::string> var_labels;
  long truncate_at = -1;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string opt = argv[i], val = argv[i + 1];
    const auto eq = val.find('=');
    if (opt == "--truncate") { truncate_at = std::atol(val.c_str()); continue; }
    if (eq == std::string::npos) return fail("expected COL=... after " + opt);
    const std::string col = val.substr(0, eq), rest = val.substr(eq + 1);
    if (opt == "--missing") missing[col].push_back(std::atof(rest.c_str()));
    else if (opt == "--var-label") var_labels[col] = rest;
    else if (opt == "--labels") {
      for (const auto& pair : split(rest, ';')) {
        const auto colon = pair.find(':');
        if (colon == std::string::npos) return fail("--labels needs CODE:TEXT");
        labels[col].emplace_back(std::atof(pair.substr(0, colon).c_str()), pair.substr(colon + 1));
      }
    } else return fail("unknown option " + opt);
  }
  std::ifstream in(argv[1]);
  if (!in) return fail(std::string("cannot read ") + argv[1]);
  std::string line;
  std::getline(in, line);
  const auto header = split(line, ',');
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    rows.push_back(split(line, ','));
    if (rows.back().size() != header.size()) return fail("ragged row " + std::to_string(rows.size()));
  }
  std::vector<bool> numeric(header.size(), true);
  std::vector<std::size_t> width(header.size(), 1);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < header.size(); ++c) {
      double v;
      if (!r[c].empty() && !number(r[c], v)) numeric[c] = false;
      width[c] = std::max(width[c], r[c].size());
    }
  std::FILE* out = std::fopen(argv[2], "wb");
  if (!out) return fail(std::string("cannot write ") + argv[2]);
  readstat_writer_t* w = readstat_writer_init();
  readstat_set_data_writer(w, write_bytes);
  readstat_writer_set_file_label(w, "attune test fixture (synthetic)");
  std::vector<readstat_variable_t*> vars;
  for (std::size_t c = 0; c < header.size(); ++c) {
    readstat_variable_t* v = readstat_add_variable(w, header[c].c_str(), numeric[c] ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_STRING,
                                                   numeric[c] ? 0 : width[c]);
    if (var_labels.count(header[c])) readstat_variable_set_label(v, var_labels[header[c]].c_str());
    if (numeric[c])
      for (double m : missing[header[c]]) readstat_variable_add_missing_double_value(v, m);
    if (labels.count(header[c])) {
      readstat_label_set_t* ls = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, ("l" + std::to_string(c)).c_str());
      for (const auto& l : labels[header[c]]) readstat_label_double_value(ls, l.first, l.second.c_str());
      readstat_variable_set_label_set(v, ls);
    }
    vars.push_back(v);
  }
  readstat_error_t rc = readstat_begin_writing_sav(w, out, static_cast<long>(rows.size()));
  for (const auto& r : rows) {
    if (rc != READSTAT_OK) break;
    rc = readstat_begin_row(w);
    for (std::size_t c = 0; c < header.size() && rc == READSTAT_OK; ++c) {
      double v;
      if (!numeric[c]) rc = readstat_insert_string_value(w, vars[c], r[c].c_str());
      else if (number(r[c], v)) rc = readstat_insert_double_value(w, vars[c], v);
      else rc = readstat_insert_missing_value(w, vars[c]);
    }
    if (rc == READSTAT_OK) rc = readstat_end_row(w);
  }
  if (rc == READSTAT_OK) rc = readstat_end_writing(w);
  readstat_writer_free(w);
  std::fclose(out);
  if (rc != READSTAT_OK) return fail(std::string("ReadStat: ") + readstat_error_message(rc));
  if (truncate_at >= 0 && ::truncate(argv[2], truncate_at) != 0) return fail("cannot truncate");
  return 0;
}
