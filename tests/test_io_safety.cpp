// Input safety of the library's readers (issue 18, docs/robustness.md "Files, outputs and signals"):
// cells and headers that were silently misread, headers whose reading time or memory grew faster
// than their size, options no file can be read with, and .sav case counts. Single-threaded runs
// (BatchOptions::threads = 1) except where the thread pool itself is tested.
#include "support/helpers.hpp"
#include "support/sav_output.hpp"
#include "support/sav_records.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../src/io/thread_pool.hpp"
#include "../src/batch/tuning.hpp"

using namespace attune_test;

namespace {

const std::string kRq = "secure,fearful,preoccupied,dismissing\n";

attune::Error thrown_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const attune::Error& e) {
    return e;
  }
  FAIL("no attune::Error thrown");
  return attune::Error(attune::ErrorKind::internal, "unreachable");
}

// A header streamed through stdio without holding it in test memory: `columns` names of `width`
// characters (letters, the last one the column's own: a, b, c, ...), then `tail`.
struct WideHeader {
  std::size_t columns, width, at = 0;
  std::string tail;
};
ssize_t wide_read(void* cookie, char* buf, std::size_t size) {
  auto* h = static_cast<WideHeader*>(cookie);
  const std::size_t record = h->width + 1;
  const std::size_t header_bytes = h->columns * record;
  std::size_t n = 0;
  while (n < size && h->at < header_bytes + h->tail.size()) {
    if (h->at < header_bytes) {
      const std::size_t in_col = h->at % record;
      const bool last = h->at / record + 1 == h->columns;
      const char own = static_cast<char>('a' + h->at / record % 26);
      buf[n] = in_col + 1 < h->width ? 'x' : in_col < h->width ? own : (last ? '\n' : ',');
    } else {
      buf[n] = h->tail[h->at - header_bytes];
    }
    ++n;
    ++h->at;
  }
  return static_cast<ssize_t>(n);
}

attune::BatchSummary score_stream(const attune::ScoringPlan& plan, std::FILE* in, attune::BatchOptions o) {
  std::FILE* out = std::tmpfile();
  attune::BatchSummary s;
  try {
    s = attune::score_csv(plan, in, "wide.csv", out, o, [](const attune::RowError&) {});
  } catch (...) {
    std::fclose(out);
    throw;
  }
  std::fclose(out);
  return s;
}

}  // namespace

TEST_CASE("io safety: a cell that is one NUL byte is not a number, never 'not answered'") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.threads = 1;
  // Three shapes reach three readers: the packed row (every item one character), the walked row
  // (a gap among the items) and the general path (a quoted field elsewhere in the chunk).
  const std::string nul(1, '\0');
  for (const std::string& row : {"1," + nul + ",3,4\n", "1," + nul + ",,4\n", "\"1\"," + nul + ",3,4\n"}) {
    INFO("row " << attune::printable(row));
    auto run = run_batch_text(plan, kRq + row, o);
    CHECK(run.summary.rows_in == 1);
    CHECK(run.summary.rows_reported == 1);
    REQUIRE(run.errors.size() == 1);
    CHECK(run.errors[0].item == "fearful");
    CHECK(run.errors[0].value == nul);
    CHECK(run.errors[0].reason == "not a number");
  }
}

TEST_CASE("io safety: delimiters that cannot work are refused by the library") {
  auto plan = plan_for("rq");
  for (char d : {'"', '\r', '\n', '0', '7'}) {
    INFO("delimiter " << int(d));
    attune::BatchOptions o;
    o.delimiter = d;
    auto e = thrown_error([&] { run_batch_text(plan, kRq + "1,2,3,4\n", o); });
    CHECK(e.kind() == attune::ErrorKind::usage);
    CHECK(std::string(e.what()).find("1,2,3,4") == std::string::npos);
  }
  attune::BatchOptions ok;
  ok.delimiter = ';';
  CHECK(run_batch_text(plan, "secure;fearful;preoccupied;dismissing\n1;2;3;4\n", ok).summary.rows_scored == 1);
}

TEST_CASE("io safety: more worker threads than the limit is a usage error, not an abort") {
  auto plan = plan_for("rq");
  attune::BatchOptions o;
  o.threads = attune::kMaxBatchThreads + 1;
  auto e = thrown_error([&] { run_batch_text(plan, kRq + "1,2,3,4\n", o); });
  CHECK(e.kind() == attune::ErrorKind::usage);
  CHECK(std::string(e.what()).find("1025 worker threads are more than 1024") != std::string::npos);
}

TEST_CASE("io safety: a CSV without a header row does not print the first person's answers") {
  auto plan = plan_for("ecr-r");
  attune::BatchOptions o;
  o.threads = 1;
  std::string row = "P0001,34";
  for (int i = 1; i <= 36; ++i) row += "," + std::to_string(i % 7 + 1);
  auto e = thrown_error([&] { run_batch_text(plan, row + "\n" + row + "\n", o); });
  CHECK(e.kind() == attune::ErrorKind::data);
  const std::string what = e.what();
  CHECK(what.find("looks like answers") != std::string::npos);
  CHECK(what.find("P0001") == std::string::npos);
  CHECK(what.find("34, 2") == std::string::npos);
  // The same for a --keep column that is not there (the items found by position).
  attune::BatchOptions keep = o;
  keep.mapping = attune::ColumnMapping::parse("{n}");
  keep.keep = {"id"};
  auto kept = thrown_error([&] { run_batch_text(plan_for("rq"), "1,2,3,4\n5,6,7,1\n", keep); });
  CHECK(std::string(kept.what()).find("looks like answers") != std::string::npos);
  CHECK(std::string(kept.what()).find("5, 6") == std::string::npos);
  CHECK(std::string(kept.what()).find("1, 2") == std::string::npos);
  // A real header is still listed: it helps to see the names when one is missing.
  auto named = thrown_error([&] { run_batch_text(plan, "id,age,Q1,Q2\nP1,34,1,2\n", o); });
  CHECK(std::string(named.what()).find("header: id, age, Q1, Q2") != std::string::npos);
}

TEST_CASE("io safety: UTF-16 input is named as such") {
  auto plan = plan_for("rq");
  const std::string le = std::string("\xFF\xFE", 2) + std::string("s\0e\0c\0,\0", 8);
  const std::string be = std::string("\xFE\xFF", 2) + std::string("\0s\0e\0c\0,", 8);
  const std::string bare = std::string("s\0e\0c\0u\0r\0e\0,\0f\0", 16);
  for (const std::string& text : {le, be, bare}) {
    auto e = thrown_error([&] { run_batch_text(plan, text + "\n", {}); });
    CHECK(e.kind() == attune::ErrorKind::data);
    CHECK(std::string(e.what()).find("looks like UTF-16") != std::string::npos);
    CHECK(std::string(e.what()).find("save the file as UTF-8") != std::string::npos);
  }
  // NUL bytes alone are not UTF-16 (a file of zeros is not text of any kind).
  auto zeros = thrown_error([&] { run_batch_text(plan, std::string(64, '\0') + "\n", {}); });
  CHECK(std::string(zeros.what()).find("UTF-16") == std::string::npos);
}

TEST_CASE("io safety: a header of more than 100000 columns is refused while it is read") {
  auto plan = plan_for("rq");
  WideHeader h{100001, 0, 0, ""};
  cookie_io_functions_t fns{wide_read, nullptr, nullptr, nullptr};
  std::FILE* in = fopencookie(&h, "r", fns);
  REQUIRE(in);
  attune::BatchOptions o;
  o.threads = 1;
  auto e = thrown_error([&] { score_stream(plan, in, o); });
  std::fclose(in);
  CHECK(e.kind() == attune::ErrorKind::limit);
  CHECK(std::string(e.what()).find("header has more than 100000 columns") != std::string::npos);
  // Stopped near the limit's worth of bytes, not at the end of a 64 MiB record.
  CHECK(h.at < 1000000);
}

TEST_CASE("io safety: reading a header is linear in its size (a 1 MB header one byte per read)") {
  // The end of the header was searched for from its start after every read, so reading it cost
  // (size / chunk)^2 / 2 chunk scans: with one-byte reads a 1 MB header took 5e11 byte visits
  // (minutes). Now each byte is visited a bounded number of times.
  auto plan = plan_for("rq");
  WideHeader h{4, 250000, 0, "1,2,3,4\n"};
  cookie_io_functions_t fns{wide_read, nullptr, nullptr, nullptr};
  std::FILE* in = fopencookie(&h, "r", fns);
  REQUIRE(in);
  attune::BatchOptions o;
  o.threads = 1;
  attune::batch::set_chunk_bytes(o, 1);
  const std::string x(249999, 'x');
  o.mapping = attune::ColumnMapping::parse("secure=" + x + "a,fearful=" + x + "b,preoccupied=" + x + "c,dismissing=" + x + "d");
  const attune::BatchSummary s = score_stream(plan, in, o);
  std::fclose(in);
  CHECK(s.rows_in == 1);
  CHECK(s.rows_scored == 1);
  CHECK(h.at == 4 * 250001 + 8);
}

TEST_CASE("io safety: a .sav header's case count is checked against the cases the file holds") {
  // 100 cases from attune's own writer (uncompressed), then the header's case count, the int32 at
  // byte 80 of the file header (SPSS system file format), set to -1, 0, -5, 50 and 150.
  auto plan = plan_for("rq");
  std::string csv = "id," + kRq;
  for (int i = 1; i <= 100; ++i) csv += "p" + std::to_string(i) + "," + std::to_string(i % 7 + 1) + ",2,3,4\n";
  attune::BatchOptions one_thread;
  one_thread.threads = 1;
  const auto run = sav_of_scores(plan, csv, one_thread);
  REQUIRE(run.summary.rows_in == 100);
  const std::string& bytes = run.bytes;
  std::int32_t written = 0;
  std::memcpy(&written, bytes.data() + 80, 4);
  REQUIRE(written == 100);

  char name[] = "/tmp/attune-test-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  const std::string path = name;
  auto read_with_count = [&](std::int32_t count, std::size_t cut = 0) {
    std::string b = bytes.substr(0, bytes.size() - cut);
    std::memcpy(&b[80], &count, 4);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(b.data(), 1, b.size(), f);
    std::fclose(f);
    attune::InputOptions o;
    o.format = attune::InputFormat::sav;
    attune::TabularInput in(path, o);
    return read_decoded(in);
  };
  CHECK(sav_records_table(read_with_count(100)).rows.size() == 100);
  CHECK(sav_records_table(read_with_count(-1)).rows.size() == 100);  // "unknown": every case is read
  for (std::int32_t count : {0, -5, 50}) {
    INFO("header count " << count);
    auto e = thrown_error([&] { read_with_count(count); });
    CHECK(e.kind() == attune::ErrorKind::data);
    CHECK(e.where().file == path);
    CHECK(std::string(e.what()).find("holds 100 cases but its header announces " + std::to_string(count)) != std::string::npos);
  }
  auto more = thrown_error([&] { read_with_count(150); });
  CHECK(std::string(more.what()).find("ends after 100 of the 150 cases") != std::string::npos);
  // "Unknown" and cut inside the last case: not 99 cases and success.
  auto cut = thrown_error([&] { read_with_count(-1, 10); });
  CHECK(cut.kind() == attune::ErrorKind::data);
  CHECK(std::string(cut.what()).find("ends in the middle of case 100") != std::string::npos);
  close(fd);
  std::remove(name);
}

TEST_CASE("io safety: a thread pool the system cannot start throws a limit error after joining") {
  // In a child whose address space leaves room for about five 8 MB thread stacks, a pool of 100:
  // the threads already started were destroyed while joinable (std::terminate, SIGABRT); now the
  // pool joins them and throws LimitError. The child exits 0 only then.
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    long pages = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(f, "%ld", &pages) != 1) pages = 0;
      std::fclose(f);
    }
    const rlim_t room = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + (40u << 20);
    struct rlimit lim{room, room};
    if (pages == 0 || setrlimit(RLIMIT_AS, &lim) != 0) _exit(3);
    try {
      attune::io::ThreadPool pool(100);
      _exit(2);  // the limit did not bite: inconclusive
    } catch (const attune::LimitError& e) {
      _exit(std::string(e.what()).find("cannot start 100 worker threads") != std::string::npos ? 0 : 4);
    } catch (...) {
      _exit(5);
    }
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  INFO("child status " << status);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
