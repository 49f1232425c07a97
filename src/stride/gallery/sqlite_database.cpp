#include "stride/gallery/sqlite_database.h"

#include "stride/core/error.h"

namespace stride::gallery {

SqliteDatabase::SqliteDatabase(const std::filesystem::path& path, bool create, int busy_ms) : path_(path) {
  if (!create && !std::filesystem::exists(path))
    fail("gallery {}: no such file (create it with 'stride gallery init')", path.string());
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) fail_with(code, "cannot open it");
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_ms);
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close_v2(db_); }

void SqliteDatabase::fail_with(int code, std::string_view what) const {
  const int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    fail("gallery {} is locked by another process", path_.string());
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    fail("gallery {}: not a gallery database, or a damaged one ({})", path_.string(), sqlite3_errstr(code));
  const char* message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  fail("gallery {}: {}: {}", path_.string(), what, message);
}

void SqliteDatabase::exec(std::string_view sql) {
  const std::string statements(sql);
  const int code = sqlite3_exec(db_, statements.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) fail_with(code, statements.substr(0, statements.find_first_of(" ;")));
}

std::optional<std::string> SqliteDatabase::text_value(std::string_view sql) {
  SqliteStatement s(*this, sql);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

SqliteStatement::SqliteStatement(const SqliteDatabase& db, std::string_view sql) : db_(db) {
  const int code = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &statement_, nullptr);
  if (code != SQLITE_OK) db.fail_with(code, "a query failed");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  sqlite3_bind_double(statement_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind_text(int index, std::string_view value) {
  sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool SqliteStatement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  db_.fail_with(code, "a query failed");
}

void SqliteStatement::run() {
  while (step()) {
  }
  sqlite3_reset(statement_);
}

int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(statement_, column); }
double SqliteStatement::real(int column) const { return sqlite3_column_double(statement_, column); }
bool SqliteStatement::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

std::string SqliteStatement::text(int column) const {
  const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  return chars ? std::string(chars, static_cast<size_t>(sqlite3_column_bytes(statement_, column))) : std::string();
}

std::string SqliteStatement::blob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
  return bytes ? std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_, column))) : std::string();
}

SqliteTransaction::SqliteTransaction(SqliteDatabase& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace stride::gallery
