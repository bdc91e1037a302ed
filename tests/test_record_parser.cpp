// The RFC 4180 record parser (src/io/csv.cpp) and the header reader around it (src/io/header_read.cpp):
// how each record ends, its fields and the line feeds it used up, and which record an error names.
// Expected values are read off the input by hand (RFC 4180: "" inside a quoted field is one quote);
// byte counts are spelled out next to each input.
#include <catch2/catch.hpp>

#include <attune/error.hpp>

#include "../src/io/csv.hpp"          // internal: RecordParser
#include "../src/io/header_read.hpp"  // internal: read_header
#include "support/helpers.hpp"

#include <cstdio>
#include <string>
#include <vector>
#include "../src/batch/tuning.hpp"

namespace {

struct OneRecord {
  attune::io::RecordStatus status;
  std::vector<std::string> fields;
  int newlines = 0;
  std::size_t consumed = 0;
  std::size_t error_field = 0;
};

OneRecord parse_first_record(const std::string& text, char delimiter = ',') {
  attune::io::RecordParser parser(delimiter);
  parser.set_base(text.data());
  const char* p = text.data();
  OneRecord r;
  r.status = parser.parse(p, text.data() + text.size(), r.newlines);
  for (std::size_t i = 0; i < parser.field_count(); ++i) r.fields.emplace_back(parser.field(i, text.data()));
  r.consumed = static_cast<std::size_t>(p - text.data());
  r.error_field = parser.error_field();
  return r;
}

// read_header over an in-memory file, read `block` bytes at a time.
attune::io::HeaderRead header_of_text(const std::string& text, std::size_t skip_rows, std::size_t block) {
  std::FILE* f = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
  REQUIRE(f);
  attune::BatchOptions opt;
  opt.skip_rows = skip_rows;
  attune::batch::set_chunk_bytes(opt, block);
  try {
    attune::io::HeaderRead h = attune::io::read_header(f, "mem.csv", opt);
    std::fclose(f);
    return h;
  } catch (...) {
    std::fclose(f);
    throw;
  }
}

}  // namespace

TEST_CASE("record parser: fields, escaped quotes and line feeds of well-formed records") {
  using attune::io::RecordStatus;
  // a , "b""c" , d LF: 1 + 1 + 6 + 1 + 1 + 1 = 11 bytes; the second field is b"c.
  OneRecord r = parse_first_record("a,\"b\"\"c\",d\nnext");
  CHECK(r.status == RecordStatus::ok);
  CHECK(r.fields == std::vector<std::string>{"a", "b\"c", "d"});
  CHECK(r.newlines == 1);
  CHECK(r.consumed == 11);
  // "x LF y" , z CR LF: 5 + 1 + 1 + 2 = 9 bytes, two line feeds (one quoted, one ending the record).
  r = parse_first_record("\"x\ny\",z\r\nnext");
  CHECK(r.status == RecordStatus::ok);
  CHECK(r.fields == std::vector<std::string>{"x\ny", "z"});
  CHECK(r.newlines == 2);
  CHECK(r.consumed == 9);
  // The input ends without a line feed: the record is whole, no line feed used.
  r = parse_first_record("a,b");
  CHECK(r.status == RecordStatus::ok);
  CHECK(r.fields == std::vector<std::string>{"a", "b"});
  CHECK(r.newlines == 0);
  CHECK(r.consumed == 3);
  // A delimiter at the end is one more, empty, field; so is an empty quoted field.
  r = parse_first_record("a,\n");
  CHECK(r.fields == std::vector<std::string>{"a", ""});
  r = parse_first_record("\"\",\"\"\n");
  CHECK(r.fields == std::vector<std::string>{"", ""});
  // Another delimiter: the comma is data, the semicolon inside quotes too.
  r = parse_first_record("\"a;b\";c,d\n", ';');
  CHECK(r.status == RecordStatus::ok);
  CHECK(r.fields == std::vector<std::string>{"a;b", "c,d"});
}

TEST_CASE("record parser: each broken record gets its own status and names its field") {
  using attune::io::RecordStatus;
  struct Case {
    const char* text;
    RecordStatus status;
    std::size_t field;  // 1-based, the field where parsing stopped
  };
  const Case cases[] = {
      {"\"a\"b,c\n", RecordStatus::text_after_quote, 1},   // text after the closing quote
      {"x,\"a\" ,c\n", RecordStatus::text_after_quote, 2},  // a space is text too
      {"a,b\"c\n", RecordStatus::quote_in_unquoted, 2},    // a quote inside an unquoted field
      {"a,\"b\"\rc", RecordStatus::lone_cr, 2},             // a lone CR after a quoted field
      {"a,b\rc", RecordStatus::lone_cr, 2},                 // and after an unquoted one
      {"a,b\r", RecordStatus::lone_cr, 2},                  // a CR as the very last byte
      {"a,\"b\nc", RecordStatus::unterminated_quote, 2},    // no closing quote before the end
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const OneRecord r = parse_first_record(c.text);
    CHECK(r.status == c.status);
    CHECK(r.error_field == c.field);
  }
}

TEST_CASE("record parser: the header reader across small reads, a byte order mark and skipped rows") {
  // BOM + id,"q""1" LF + x,1 LF + 2,3 LF: the BOM is not part of "id"; one row skipped; the rest
  // handed on whole, read 3 bytes at a time so every record spans several reads.
  const std::string text = "\xEF\xBB\xBFid,\"q\"\"1\"\nx,1\n2,3\n";
  const attune::io::HeaderRead h = header_of_text(text, 1, 3);
  CHECK(h.header == std::vector<std::string>{"id", "q\"1"});
  CHECK(h.skipped == 1);
  CHECK(h.lines == 2);
  // Read but not used: the start of "2,3\n", and nothing before it: 3 (BOM) + 10 + 4 = 17 bytes used.
  CHECK(std::string("2,3\n").compare(0, h.rest.size(), h.rest) == 0);
  CHECK(h.bytes - h.rest.size() == 17);

  // A broken skipped row: the message says it was a skipped row, on line 2, field 2.
  const attune::Error skipped = attune_test::error_of([] { header_of_text("id,q1\na,b\"c\n1,2\n", 1, 4); });
  CHECK(skipped.kind() == attune::ErrorKind::data);
  CHECK(std::string(skipped.what()).find("skipped row: quote character inside an unquoted field") != std::string::npos);
  CHECK(skipped.where().line == 2);
  CHECK(skipped.where().column == 2);
  // The same in the header itself.
  const attune::Error header = attune_test::error_of([] { header_of_text("id,\"q1\"x\n1,2\n", 0, 4); });
  CHECK(header.kind() == attune::ErrorKind::data);
  CHECK(std::string(header.what()).find("header: text between a closing quote and the next delimiter") != std::string::npos);
  CHECK(header.where().line == 1);
  CHECK(header.where().column == 2);
}
