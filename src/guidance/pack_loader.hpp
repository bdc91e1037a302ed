#pragma once
// The loader of a guidance pack, shared by the files that read its parts: guidance_load.cpp (the
// folder, sources, forbidden words, ui strings, the word check), pack_content.cpp (the content files)
// and pack_rules.cpp (rules.json). Internal to the library.
#include "guidance_data.hpp"

#include "../json_walk.hpp"

#include <attune/error.hpp>

#include <filesystem>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace attune::detail {

constexpr ErrorKind kPackErrorKind = ErrorKind::usage;  // a broken pack is a configuration error of the caller

// The text of one file of the pack, within the document size limit.
std::string read_pack_file(const std::filesystem::path& p);
// An array of non-empty strings (a list of ids, words or headings).
std::vector<std::string> nonempty_strings(const JsonNode& list);

// One file of the pack, parsed, its top-level fields checked against `fields`. Its root node refers
// to the document and to the name held here, so a PackFile is neither copied nor moved.
struct PackFile {
  PackFile(const std::filesystem::path& p, std::initializer_list<const char*> fields);
  PackFile(const PackFile&) = delete;
  PackFile& operator=(const PackFile&) = delete;
  std::string name;
  json doc;
  JsonNode root;
};

struct PackLoader {
  GuidanceData& g;
  std::map<std::string, std::string> id_file;  // every id (entries and items) -> file, for uniqueness
  // Each "selected" list of a condition (its JSON path and ids): checked against the relevance rules
  // once the whole of rules.json is read, with the list's own path in the error.
  std::vector<std::pair<std::string, std::vector<std::string>>> pending_selected;

  // guidance_load.cpp
  void claim_id(const JsonNode& node, const std::string& id, const std::string& prefix, const std::string& file);
  SourceRef source(const JsonNode& n);
  void read_also_from(const JsonNode& entry, ContentEntry& c);  // "also_from": more sources of an entry
  void load_sources(const std::filesystem::path& p);
  void load_forbidden(const std::filesystem::path& p);
  void load_ui(const std::filesystem::path& p);
  void scan_words(const json& v, const std::string& path, const std::string& file);
  std::string find_forbidden_in(const std::string& text) const;

  // pack_content.cpp
  void load_content(const std::filesystem::path& p);
  ContentEntry content_entry(const JsonNode& e, const std::string& stem, const std::string& file);
  std::vector<ContentItem> items(const JsonNode& list, const std::string& owner, const std::string& file);

  // pack_rules.cpp
  void load_rules(const std::filesystem::path& p);
  Condition condition(const JsonNode& n);
  void require_entry(const JsonNode& n, const std::string& id, const char* what);
  void load_care(const JsonNode& root, const std::string& file);
  ContentEntry care_text(const JsonNode& t, const std::string& file);
  std::set<std::string> load_relevance(const JsonNode& rel);
  RelevanceRule relevance_rule(const JsonNode& r, int& selfhelp_order, std::set<std::string>& ranked);
  void relevance_scripts(const JsonNode& sc, RelevanceRule& rr);
  void load_include(const JsonNode& inc);
  void load_plan30(const JsonNode& p30);
  void check_selected(const std::set<std::string>& ranked, const std::string& file) const;
};

}  // namespace attune::detail
