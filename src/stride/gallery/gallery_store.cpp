#include "stride/gallery/gallery_store.h"

#include <chrono>
#include <cstring>
#include <map>

#include "stride/core/error.h"

namespace stride::gallery {
namespace {

constexpr const char* kSchema = R"(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE persons(
  pseudonym TEXT PRIMARY KEY,
  subject_ciphertext BLOB NOT NULL,
  name_ciphertext BLOB NOT NULL,
  consent_ref TEXT NOT NULL,
  retain_until INTEGER,
  enrolled_at INTEGER NOT NULL);
CREATE TABLE templates(
  id INTEGER PRIMARY KEY,
  pseudonym TEXT NOT NULL REFERENCES persons(pseudonym) ON DELETE CASCADE ON UPDATE CASCADE,
  model_hash TEXT NOT NULL,
  ciphertext BLOB NOT NULL);
CREATE INDEX templates_by_person ON templates(pseudonym);
CREATE TABLE audit(
  time INTEGER NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('enroll', 'identify', 'forget', 'purge', 'rekey', 'calibrate')),
  pseudonym TEXT,
  count INTEGER NOT NULL);
CREATE TABLE threshold(
  model_hash TEXT PRIMARY KEY,
  fpir REAL NOT NULL,
  threshold REAL NOT NULL,
  gallery_size INTEGER NOT NULL,
  calibrated_at INTEGER NOT NULL);
)";

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// What each sealed value is bound to: moved to another row, it no longer opens.
std::string subject_binding(const std::string& pseudonym) { return "subject:" + pseudonym; }
std::string name_binding(const std::string& pseudonym) { return "person:" + pseudonym; }
std::string template_binding(int64_t id, const std::string& pseudonym, const std::string& model_hash) {
  return fmt::format("template:{}:{}:{}", id, pseudonym, model_hash);
}

std::string float_bytes(const std::vector<float>& values) {
  return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)};
}

std::vector<float> floats_of(const std::string& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

void set_meta(SqliteDatabase& db, const std::string& key, const std::string& value) {
  SqliteStatement(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")
      .bind_text(1, key)
      .bind_text(2, value)
      .run();
}

std::optional<std::string> meta(SqliteDatabase& db, const std::string& key) {
  SqliteStatement s(db, "SELECT value FROM meta WHERE key = ?1");
  s.bind_text(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

// Per connection: secure delete (zeroes what a deletion frees), foreign keys (a person's templates go
// with them).
void configure(SqliteDatabase& db) { db.exec("PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;"); }

// Stored in the file: set only on a gallery, never on another program's database.
void use_wal(SqliteDatabase& db) { db.text_value("PRAGMA journal_mode = WAL"); }

}  // namespace

void GalleryStore::create(const std::filesystem::path& path, const GalleryKey& key,
                          const std::optional<ModelIdentity>& model) {
  if (std::filesystem::exists(path)) fail("gallery {} exists already", path.string());
  SqliteDatabase db(path, true, kBusyMs);
  configure(db);
  use_wal(db);
  SqliteTransaction transaction(db);
  db.exec(kSchema);
  set_meta(db, "schema_version", std::to_string(kSchemaVersion));
  set_meta(db, "key_check", key.check_value());
  if (model) {
    set_meta(db, "model_hash", model->hash);
    set_meta(db, "model_name", model->name);
  }
  transaction.commit();
}

GalleryStore::GalleryStore(const std::filesystem::path& path, const GalleryKey& key, int busy_ms)
    : db_(path, false, busy_ms), key_(&key) {
  configure(db_);
  const bool has_meta =
      db_.text_value("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").has_value();
  const std::string version = (has_meta ? meta(db_, "schema_version") : std::nullopt).value_or("");
  if (version.empty() || version.find_first_not_of("0123456789") != std::string::npos)
    fail("{}: not a gallery (no schema version); make one with 'stride gallery init'", path.string());
  if (version.size() > 9 || std::stoll(version) > kSchemaVersion)
    fail("gallery {}: schema version {} is newer than this build's ({}); open it with a newer stride", path.string(),
         version, kSchemaVersion);
  if (meta(db_, "key_check") != key.check_value())
    fail("gallery {}: the key in {} is not this gallery's key", path.string(), key.path().string());
  use_wal(db_);
}

std::optional<ModelIdentity> GalleryStore::model() const {
  const std::optional<std::string> hash = meta(db_, "model_hash");
  if (!hash) return std::nullopt;
  return ModelIdentity{*hash, meta(db_, "model_name").value_or("")};
}

void GalleryStore::require_model(const ModelIdentity& model) const {
  const std::optional<ModelIdentity> own = this->model();
  if (own && !(*own == model))
    fail("gallery {}: templates made by model {}, this gallery holds model {}'s templates", path().string(),
         model.text(), own->text());
}

std::string GalleryStore::open_value(const std::string& sealed, const std::string& associated,
                                     const std::string& what) const {
  std::optional<std::string> plain = key_->open(sealed, associated);
  if (!plain) fail("gallery {}: {} does not open: the row was altered or moved", path().string(), what);
  return *plain;
}

void GalleryStore::add_audit(const std::string& event, const std::optional<std::string>& pseudonym, int64_t count) {
  SqliteStatement s(db_, "INSERT INTO audit(time, event, pseudonym, count) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, unix_now()).bind_text(2, event).bind(4, count);
  if (pseudonym)
    s.bind_text(3, *pseudonym);
  else
    s.bind_null(3);
  s.run();
}

std::string GalleryStore::enroll(const Enrollment& e, const ModelIdentity& model) {
  if (e.templates.empty())
    fail("gallery {}: nothing to enroll for subject {} (no templates)", path().string(), e.subject_id);
  SqliteTransaction transaction(db_);
  require_model(model);
  const std::string pseudonym = key_->pseudonym(e.subject_id);
  if (pseudonym_of_subject(e.subject_id))
    fail("gallery {}: subject {} is enrolled already (forget it first to enroll it again)", path().string(),
         e.subject_id);
  if (!this->model()) {
    set_meta(db_, "model_hash", model.hash);
    set_meta(db_, "model_name", model.name);
  }
  SqliteStatement person(
      db_,
      "INSERT INTO persons(pseudonym, subject_ciphertext, name_ciphertext, consent_ref, retain_until, "
      "enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  person.bind_text(1, pseudonym)
      .bind_blob(2, key_->seal(e.subject_id, subject_binding(pseudonym)))
      .bind_blob(3, key_->seal(e.name, name_binding(pseudonym)))
      .bind_text(4, e.consent)
      .bind(6, unix_now());
  if (e.retain_until)
    person.bind(5, *e.retain_until);
  else
    person.bind_null(5);
  person.run();

  // Every template of a gallery has the length of its model's feature.
  const std::optional<std::string> stored_length = meta(db_, "template_values");
  const size_t length = stored_length ? std::stoul(*stored_length) : e.templates.front().size();
  if (!stored_length) set_meta(db_, "template_values", std::to_string(length));
  const int64_t next_id = std::stoll(db_.text_value("SELECT COALESCE(MAX(id), 0) + 1 FROM templates").value_or("1"));
  SqliteStatement insert(db_, "INSERT INTO templates(id, pseudonym, model_hash, ciphertext) VALUES (?1, ?2, ?3, ?4)");
  for (size_t i = 0; i < e.templates.size(); ++i) {
    if (e.templates[i].size() != length)
      fail("gallery {}: template {} of subject {} has {} values, the gallery's have {}", path().string(), i + 1,
           e.subject_id, e.templates[i].size(), length);
    const auto id = next_id + static_cast<int64_t>(i);
    insert.bind(1, id)
        .bind_text(2, pseudonym)
        .bind_text(3, model.hash)
        .bind_blob(4, key_->seal(float_bytes(e.templates[i]), template_binding(id, pseudonym, model.hash)));
    insert.run();
  }
  add_audit("enroll", pseudonym, static_cast<int64_t>(e.templates.size()));
  transaction.commit();
  return pseudonym;
}

std::vector<Person> GalleryStore::persons() const {
  SqliteStatement s(db_,
                    "SELECT p.pseudonym, p.subject_ciphertext, p.name_ciphertext, p.consent_ref, p.retain_until, "
                    "p.enrolled_at, (SELECT COUNT(*) FROM templates t WHERE t.pseudonym = p.pseudonym) "
                    "FROM persons p ORDER BY p.rowid");  // in the order they were enrolled
  std::vector<Person> people;
  while (s.step()) {
    Person p;
    p.pseudonym = s.text(0);
    p.subject_id = open_value(s.blob(1), subject_binding(p.pseudonym), "the subject id of person " + p.pseudonym);
    p.name = open_value(s.blob(2), name_binding(p.pseudonym), "the name of person " + p.pseudonym);
    p.consent = s.text(3);
    if (!s.is_null(4)) p.retain_until = s.integer(4);
    p.enrolled_at = s.integer(5);
    p.templates = s.integer(6);
    people.push_back(std::move(p));
  }
  return people;
}

std::vector<StoredTemplate> GalleryStore::templates() const {
  SqliteStatement s(db_, "SELECT id, pseudonym, model_hash, ciphertext FROM templates ORDER BY id");
  std::vector<StoredTemplate> out;
  while (s.step()) {
    StoredTemplate t{s.integer(0), s.text(1), s.text(2), {}};
    t.values = floats_of(
        open_value(s.blob(3), template_binding(t.id, t.pseudonym, t.model_hash), fmt::format("template {}", t.id)));
    out.push_back(std::move(t));
  }
  return out;
}

int64_t GalleryStore::person_count() const {
  return std::stoll(db_.text_value("SELECT COUNT(*) FROM persons").value_or("0"));
}

std::optional<std::string> GalleryStore::pseudonym_of_subject(const std::string& subject_id) const {
  const std::string pseudonym = key_->pseudonym(subject_id);
  SqliteStatement s(db_, "SELECT 1 FROM persons WHERE pseudonym = ?1");
  s.bind_text(1, pseudonym);
  if (!s.step()) return std::nullopt;
  return pseudonym;
}

std::optional<std::string> GalleryStore::pseudonym_of_name(const std::string& name) const {
  for (const Person& p : persons())
    if (p.name == name) return p.pseudonym;
  return std::nullopt;
}

int64_t GalleryStore::delete_person(const std::string& pseudonym) {
  SqliteStatement count(db_, "SELECT COUNT(*) FROM templates WHERE pseudonym = ?1");
  count.bind_text(1, pseudonym);
  count.step();
  const int64_t templates = count.integer(0);
  // The audit keeps that something happened, not to whom: the person's earlier lines lose the pseudonym.
  SqliteStatement(db_, "UPDATE audit SET pseudonym = NULL WHERE pseudonym = ?1").bind_text(1, pseudonym).run();
  SqliteStatement(db_, "DELETE FROM persons WHERE pseudonym = ?1").bind_text(1, pseudonym).run();  // templates cascade
  return templates;
}

void GalleryStore::scrub() {
  db_.text_value("PRAGMA wal_checkpoint(TRUNCATE)");
  db_.exec("VACUUM");
  db_.text_value("PRAGMA wal_checkpoint(TRUNCATE)");
}

int64_t GalleryStore::forget(const std::string& pseudonym) {
  int64_t templates = 0;
  {
    SqliteTransaction transaction(db_);
    templates = delete_person(pseudonym);
    add_audit("forget", std::nullopt, templates);
    transaction.commit();
  }
  scrub();
  return templates;
}

int64_t GalleryStore::purge(int64_t now) {
  std::vector<std::string> expired;
  {
    SqliteTransaction transaction(db_);
    SqliteStatement s(db_, "SELECT pseudonym FROM persons WHERE retain_until IS NOT NULL AND retain_until < ?1");
    s.bind(1, now);
    while (s.step()) expired.push_back(s.text(0));
    for (const std::string& pseudonym : expired) delete_person(pseudonym);
    add_audit("purge", std::nullopt, static_cast<int64_t>(expired.size()));
    transaction.commit();
  }
  scrub();
  return static_cast<int64_t>(expired.size());
}

void GalleryStore::rekey(const GalleryKey& new_key) {
  {
    SqliteTransaction transaction(db_);
    const std::vector<Person> people = persons();
    const std::vector<StoredTemplate> all = templates();
    std::map<std::string, std::string> subject_of;  // by the old pseudonym
    for (const Person& p : people) {
      subject_of[p.pseudonym] = p.subject_id;
      const std::string pseudonym = new_key.pseudonym(p.subject_id);
      SqliteStatement(db_,
                      "UPDATE persons SET pseudonym = ?1, subject_ciphertext = ?2, name_ciphertext = ?3 "
                      "WHERE pseudonym = ?4")  // the templates' references follow (ON UPDATE CASCADE)
          .bind_text(1, pseudonym)
          .bind_blob(2, new_key.seal(p.subject_id, subject_binding(pseudonym)))
          .bind_blob(3, new_key.seal(p.name, name_binding(pseudonym)))
          .bind_text(4, p.pseudonym)
          .run();
      SqliteStatement(db_, "UPDATE audit SET pseudonym = ?1 WHERE pseudonym = ?2")
          .bind_text(1, pseudonym)
          .bind_text(2, p.pseudonym)
          .run();
    }
    SqliteStatement update(db_, "UPDATE templates SET ciphertext = ?1 WHERE id = ?2");
    for (const StoredTemplate& t : all) {
      const std::string binding = template_binding(t.id, new_key.pseudonym(subject_of.at(t.pseudonym)), t.model_hash);
      update.bind_blob(1, new_key.seal(float_bytes(t.values), binding)).bind(2, t.id).run();
    }
    set_meta(db_, "key_check", new_key.check_value());
    add_audit("rekey", std::nullopt, static_cast<int64_t>(people.size()));
    transaction.commit();
  }
  key_ = &new_key;
  scrub();
}

void GalleryStore::set_threshold(const ModelIdentity& model, const Threshold& t, int64_t searches) {
  SqliteTransaction transaction(db_);
  require_model(model);
  SqliteStatement(db_,
                  "INSERT OR REPLACE INTO threshold(model_hash, fpir, threshold, gallery_size, calibrated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind_text(1, model.hash)
      .bind(2, t.fpir)
      .bind(3, t.value)
      .bind(4, t.gallery_size)
      .bind(5, t.calibrated_at)
      .run();
  add_audit("calibrate", std::nullopt, searches);
  transaction.commit();
}

std::optional<Threshold> GalleryStore::threshold() const {
  const std::optional<ModelIdentity> own = model();
  if (!own) return std::nullopt;
  SqliteStatement s(db_, "SELECT fpir, threshold, gallery_size, calibrated_at FROM threshold WHERE model_hash = ?1");
  s.bind_text(1, own->hash);
  if (!s.step()) return std::nullopt;
  return Threshold{s.real(0), s.real(1), s.integer(2), s.integer(3)};
}

void GalleryStore::audit(const std::string& event, int64_t count) {
  SqliteTransaction transaction(db_);
  add_audit(event, std::nullopt, count);
  transaction.commit();
}

std::vector<AuditEntry> GalleryStore::audit_log() const {
  SqliteStatement s(db_, "SELECT time, event, pseudonym, count FROM audit ORDER BY rowid");
  std::vector<AuditEntry> log;
  while (s.step()) {
    AuditEntry e{s.integer(0), s.text(1), std::nullopt, s.integer(3)};
    if (!s.is_null(2)) e.pseudonym = s.text(2);
    log.push_back(std::move(e));
  }
  return log;
}

}  // namespace stride::gallery
