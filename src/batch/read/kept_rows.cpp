// Rows kept from a first reading (kept_rows.hpp) and ParsedRows, the public handle on them.
#include "kept_rows.hpp"

#include "../../simd/answer_bytes.hpp"

namespace attune {

static_assert(batch::kMissing8 == simd::kMissingByte, "one byte means 'not answered' everywhere");

ParsedRows::ParsedRows(std::size_t budget_bytes) : impl_(std::make_unique<Impl>()) { impl_->budget = budget_bytes; }
ParsedRows::~ParsedRows() = default;
ParsedRows::ParsedRows(ParsedRows&&) noexcept = default;
ParsedRows& ParsedRows::operator=(ParsedRows&&) noexcept = default;
std::uint64_t ParsedRows::rows() const { return impl_->rows; }
bool ParsedRows::whole_file() const { return impl_->filled && impl_->whole; }
std::size_t ParsedRows::bytes() const { return impl_->used; }

namespace batch {

void answers_to_bytes(std::size_t rows, std::size_t P, Workspace& ws) {
  const std::size_t cells = rows * P;
  if (ws.bytes.size() < cells) ws.bytes.resize(cells);
  simd::doubles_to_bytes(ws.x.data(), cells, ws.bytes.data());
  ws.have_bytes = true;
}

std::shared_ptr<ParsedChunk> keep_parsed(const Job& job, const Workspace& ws, const ChunkResult& res) {
  const std::size_t P = job.plan->data().n_items, rows = res.rows;
  auto pc = std::make_shared<ParsedChunk>();
  pc->rows = rows;
  pc->blank = res.blank;
  pc->newlines = res.newlines;
  pc->answers.assign(ws.bytes.begin(), ws.bytes.begin() + static_cast<std::ptrdiff_t>(rows * P));
  pc->kept = ws.kept;
  pc->kept_end = ws.kept_end;
  // Row r starting on line r (no blank lines, no line feeds inside records) needs no table.
  bool one_line_each = true;
  for (std::size_t r = 0; r < rows && one_line_each; ++r) one_line_each = ws.row_line[r] == static_cast<std::int64_t>(r);
  if (!one_line_each) pc->row_line.assign(ws.row_line.begin(), ws.row_line.end());
  pc->errors = res.errors;
  for (std::size_t r = 0; r < rows; ++r) {
    if (ws.error_of[r] < 0) continue;
    pc->error_rows.push_back({static_cast<std::uint32_t>(r), ws.error_of[r], ws.invalid.empty() ? 0 : ws.invalid[r]});
  }
  return pc;
}

void restore_parsed(const Job& job, Workspace& ws, ChunkResult& res, ParsedChunk& pc) {
  const std::size_t P = job.plan->data().n_items, rows = pc.rows;
  if (ws.x.size() < rows * P) ws.x.resize(rows * P);
  simd::bytes_to_doubles(pc.answers.data(), rows * P, ws.x.data());
  ws.bytes.swap(pc.answers);
  ws.have_bytes = true;
  ws.kept = std::move(pc.kept);
  ws.kept_end = std::move(pc.kept_end);
  if (pc.row_line.empty()) {
    ws.row_line.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) ws.row_line[r] = static_cast<std::int64_t>(r);
  } else {
    ws.row_line.assign(pc.row_line.begin(), pc.row_line.end());
  }
  ws.error_of.assign(rows, -1);
  ws.invalid.clear();
  if (job.opt->quality) ws.invalid.assign(rows, 0);
  for (const auto& e : pc.error_rows) {
    ws.error_of[e.row] = e.error;
    if (job.opt->quality) ws.invalid[e.row] = e.invalid;
  }
  res.errors = std::move(pc.errors);
  res.rows = rows;
  res.blank = pc.blank;
  res.newlines = pc.newlines;
}

}  // namespace batch
}  // namespace attune
