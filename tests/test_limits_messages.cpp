// Issue 7's last gaps: error messages that stay readable whatever bytes the data hold, write errors
// that name their file, and the size limit on JSON documents (docs/robustness.md, "Limits").
#include "support/helpers.hpp"

#include <attune/limits.hpp>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace attune_test;

namespace {

// A scratch folder removed with its files at the end of the test.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    char name[] = "/tmp/attune-limits-XXXXXX";
    if (!::mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
    path = name;
  }
  ~ScratchDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

void write_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

// A file of `size` bytes that takes no disk space (a hole): the limit is checked from its size, so
// even 10 GiB costs nothing unless something reads it.
void sparse_file(const std::string& path, off_t size) {
  write_file(path, "");
  REQUIRE(::truncate(path.c_str(), size) == 0);
}

// Expects LimitError (kind limit) naming `file` whose message contains each of `parts`.
template <class F>
void expect_limit(F&& f, const std::string& file, std::initializer_list<std::string> parts) {
  try {
    f();
    FAIL("no error");
  } catch (const attune::Error& e) {
    INFO(e.what());
    CHECK(e.kind() == attune::ErrorKind::limit);
    CHECK(e.where().file == file);
    for (const auto& p : parts) CHECK(std::string(e.what()).find(p) != std::string::npos);
  }
}

// A stdio stream whose every write fails like a full disk (0 is a cookie writer's error return).
ssize_t full_disk_write(void*, const char*, std::size_t) {
  errno = ENOSPC;
  return 0;
}

}  // namespace

TEST_CASE("printable: control characters become visible escapes, every other byte is kept") {
  using attune::printable;
  CHECK(printable(std::string("a\0b", 3)) == "a\\0b");
  CHECK(printable("\t\n\r") == "\\t\\n\\r");
  CHECK(printable("\x01\x1b[31m\x7f") == "\\x01\\x1b[31m\\x7f");
  CHECK(printable("caf\xc3\xa9 \xff, C:\\dir 'q'") == "caf\xc3\xa9 \xff, C:\\dir 'q'");  // UTF-8, stray bytes, backslash
  CHECK(printable("") == "");
}

TEST_CASE("an error's what() escapes control characters from data, where() keeps the raw bytes") {
  attune::Location where;
  where.file = "a\nb.csv";
  where.value = std::string("2\0\x1b[31m", 7);
  where.item = "q\t1";
  const attune::AnswerError e("not a number", where, "a number");
  const std::string what = e.what();
  // Written out by hand from the rule: \n, \t, \0 and ESC (0x1b) escaped, the rest kept.
  CHECK(what == "a\\nb.csv, item q\\t1, value '2\\0\\x1b[31m': not a number (expected a number)");
  CHECK(std::strlen(e.what()) == what.size());  // no NUL left to cut a printf("%s") short
  CHECK(e.where().value == std::string("2\0\x1b[31m", 7));
  CHECK(attune::describe(where) == "a\\nb.csv, item q\\t1, value '2\\0\\x1b[31m'");
}

TEST_CASE("stop mode: a NUL byte in the offending value is escaped in the message, never cut") {
  auto plan = plan_for("rq");
  attune::BatchOptions opt;
  opt.on_error = attune::ErrorPolicy::stop;
  const std::string csv = "id,secure,fearful,preoccupied,dismissing\np1,1,2" + std::string("\0\x01", 2) + ",3,4\n";
  try {
    run_batch_text(plan, csv, opt);
    FAIL("no error");
  } catch (const attune::AnswerError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(std::strlen(e.what()) == what.size());
    CHECK(what.find("column 3 'fearful', item fearful, value '2\\0\\x01': not a number") != std::string::npos);
    CHECK(what.back() == ')');  // the "(expected ...)" tail is there: nothing after the NUL was lost
    CHECK(e.where().value == std::string("2\0\x01", 3));
  }
}

TEST_CASE("a failed write names the output file (BatchOptions::output_name)") {
  auto plan = plan_for("rq");
  ScratchDir dir;
  const std::string in_path = dir.file("in.csv");
  write_file(in_path, "secure,fearful,preoccupied,dismissing\n1,2,3,4\n");
  std::FILE* in = std::fopen(in_path.c_str(), "rb");
  REQUIRE(in);
  cookie_io_functions_t fns{};
  fns.write = &full_disk_write;
  std::FILE* out = ::fopencookie(nullptr, "w", fns);
  REQUIRE(out);
  std::setvbuf(out, nullptr, _IONBF, 0);  // every fwrite reaches the failing write at once
  attune::BatchOptions opt;
  opt.output_name = "scores.csv";
  try {
    attune::score_csv(plan, in, in_path, out, opt, [](const attune::RowError&) {});
    FAIL("no error");
  } catch (const attune::IoError& e) {
    CHECK(e.where().file == "scores.csv");
    CHECK(std::string(e.what()) == std::string("scores.csv: write failed: ") + std::strerror(ENOSPC));
  }
  std::fclose(in);
  std::fclose(out);
}

TEST_CASE("JSON documents over 16 MiB are refused from their size, before reading, naming file, limit and size") {
  CHECK(attune::kMaxJsonDocumentBytes == 16u * 1024 * 1024);
  ScratchDir dir;
  auto plan = plan_for("rq");
  const auto rq = attune::load_instrument("rq");

  // 10 GiB: refused from the size alone (reading it would take minutes and the memory).
  const std::string huge = dir.file("huge.json");
  sparse_file(huge, off_t{10} << 30);
  expect_limit([&] { attune::Instrument::from_file(huge); }, huge,
               {"instrument file is 10737418240 bytes", "over the limit of 16777216 bytes (16 MiB)"});
  expect_limit([&] { attune::load_instrument(huge); }, huge, {"10737418240 bytes"});
  expect_limit([&] { attune::TextPack::from_file(huge, rq); }, huge, {"text pack is 10737418240 bytes"});
  expect_limit([&] { attune::read_document(huge, "answers file"); }, huge, {"answers file is 10737418240 bytes"});

  // The boundary: one byte over is refused; exactly the limit is read and parsed (and is then
  // merely invalid JSON: 16 MiB of NUL bytes).
  const std::string over = dir.file("over.json");
  sparse_file(over, (off_t{16} << 20) + 1);
  expect_limit([&] { attune::Instrument::from_file(over); }, over, {"16777217 bytes"});
  const std::string at = dir.file("at.json");
  sparse_file(at, off_t{16} << 20);
  try {
    attune::Instrument::from_file(at);
    FAIL("no error");
  } catch (const attune::Error& e) {
    CHECK(e.kind() == attune::ErrorKind::instrument);
  }
  CHECK(attune::read_document(at, "test").size() == attune::kMaxJsonDocumentBytes);
}

TEST_CASE("JSON text handed over in memory meets the same 16 MiB limit") {
  auto plan = plan_for("rq");
  const auto rq = attune::load_instrument("rq");
  const std::string text(attune::kMaxJsonDocumentBytes + 1, ' ');
  expect_limit([&] { attune::Instrument::from_json_text(text, "mem.json"); }, "mem.json", {"16777217 bytes"});
  expect_limit([&] { attune::responses_from_json(plan, text, "answers.json"); }, "answers.json", {"16777217 bytes"});
  expect_limit([&] { attune::result_from_json(text, "result.json"); }, "result.json", {"16777217 bytes"});
  expect_limit([&] { attune::TextPack::from_json_text(text, "pack.json", rq); }, "pack.json", {"16777217 bytes"});
}

TEST_CASE("a document from a pipe is read only up to the limit plus one byte") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string data(2000, 'x');  // fits the pipe buffer: written before reading, no writer thread
  REQUIRE(::write(fds[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  ::close(fds[1]);
  const std::string path = "/dev/fd/" + std::to_string(fds[0]);
  expect_limit([&] { attune::read_document(path, "answers file", 1000); }, path,
               {"answers file is over the limit of 1000 bytes", "reading stopped at 1001 bytes"});
  ::close(fds[0]);

  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], data.data(), 1000) == 1000);
  ::close(fds[1]);
  CHECK(attune::read_document("/dev/fd/" + std::to_string(fds[0]), "answers file", 1000).size() == 1000);
  ::close(fds[0]);
}

TEST_CASE("JSON Lines: a line over the record limit is a limit error naming the line, at most the limit read") {
  auto plan = plan_for("rq");
  ScratchDir dir;
  const std::string path = dir.file("long.jsonl");
  const std::string first = R"({"secure": 1, "fearful": 2, "preoccupied": 3, "dismissing": 4})";
  // Line 2 is exactly 1000 bytes before its line feed (allowed); line 3 is 1001 (refused).
  auto line_of = [](std::size_t bytes) {
    const std::string head = R"({"secure": ")", tail = R"("})";
    return head + std::string(bytes - head.size() - tail.size(), 'x') + tail;
  };
  REQUIRE(line_of(1000).size() == 1000);
  attune::InputOptions io;
  io.format = attune::InputFormat::jsonl;
  io.max_record_bytes = 1000;
  attune::BatchOptions opt;

  write_file(path, first + "\n" + line_of(1000) + "\n");
  {
    attune::TabularInput src(path, io);
    std::vector<attune::RowError> errors;
    auto sum = src.run([&] { return attune::accumulate_csv(plan, src.csv(), src.name(), opt, [&](const attune::RowError& e) { errors.push_back(e); }); });
    CHECK(sum.rows_in == 2);
    CHECK(sum.rows_reported == 1);  // "xxx..." is not a number: a reported row, not a limit
  }
  write_file(path, first + "\n" + line_of(1000) + "\n" + line_of(1001) + "\n" + first + "\n");
  attune::TabularInput src(path, io);
  try {
    src.run([&] { return attune::accumulate_csv(plan, src.csv(), src.name(), opt, [](const attune::RowError&) {}); });
    FAIL("no error");
  } catch (const attune::Error& e) {
    INFO(e.what());
    CHECK(e.kind() == attune::ErrorKind::limit);
    CHECK(e.where().file == path);
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("longer than 1000 bytes") != std::string::npos);
  }
}
