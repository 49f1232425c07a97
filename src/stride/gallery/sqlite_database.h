#pragma once
// A thin RAII layer over SQLite for the gallery store: one connection, prepared statements with
// bound values, and transactions that roll back unless committed. Every failure is a stride::Error
// naming the database file; a database another process holds past the busy timeout says so in one line.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stride::gallery {

class SqliteDatabase;

class SqliteStatement {
 public:
  SqliteStatement(const SqliteDatabase& db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are numbered from 1, as in SQL's ?1.
  SqliteStatement& bind(int index, int64_t value);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind_text(int index, std::string_view value);
  SqliteStatement& bind_blob(int index, std::string_view bytes);
  SqliteStatement& bind_null(int index);

  bool step();  // true while a row is available; false once done
  void run();   // steps a statement that returns no rows, then resets it for new values

  int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::string blob(int column) const;
  bool is_null(int column) const;

 private:
  const SqliteDatabase& db_;
  sqlite3_stmt* statement_ = nullptr;
};

class SqliteDatabase {
 public:
  // Opens (creating with `create`) the database at `path`; waits up to `busy_ms` for another
  // process's lock before saying the database is locked.
  SqliteDatabase(const std::filesystem::path& path, bool create, int busy_ms);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  void exec(std::string_view sql);  // one or more statements without parameters
  // The single value of a one-row, one-column query; nullopt when it returns no row.
  std::optional<std::string> text_value(std::string_view sql);

  // Throws stride::Error for SQLite result `code` of an operation on this database.
  [[noreturn]] void fail_with(int code, std::string_view what) const;

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE (the write lock is taken at once, so a locked database is found before any work);
// rolled back when destroyed uncommitted, as when an exception leaves the scope.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDatabase& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteDatabase& db_;
  bool open_ = true;
};

}  // namespace stride::gallery
