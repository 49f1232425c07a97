#pragma once
// The enrolled people and their templates, in one SQLite file that holds nothing in clear that
// identifies or measures a person:
//   meta       schema version, the gallery's model (hash and name), the key check value
//   persons    pseudonym (keyed hash of the subject id), subject id and display name sealed,
//              consent reference, retention date, enrolment date
//   templates  one sealed feature vector per enrolled recording, with the model that made it
//   audit      time, event, pseudonym or none, count — never a template, a name or a score
//   threshold  the open-set threshold per model, its FPIR and the gallery size it was set at
// The key lives in a file of its own (gallery_key.h). Secure delete is on and the database runs
// in WAL mode; forgetting a person checkpoints the WAL (TRUNCATE) and VACUUMs, so that the deleted
// rows remain neither in free pages nor in the WAL. Every change is one transaction: an enrolment
// interrupted half-way leaves the gallery as it was.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stride/gallery/gallery_key.h"
#include "stride/gallery/model_identity.h"
#include "stride/gallery/sqlite_database.h"

namespace stride::gallery {

inline constexpr int kSchemaVersion = 1;

struct Enrollment {
  std::string subject_id;                     // the person's id in the caller's world; stored sealed only
  std::string name;                           // display name, may be empty
  std::string consent;                        // a reference to the consent record, may be empty
  std::optional<int64_t> retain_until;        // Unix seconds; none: kept until forgotten
  std::vector<std::vector<float>> templates;  // one per recording, all of one length
};

struct Person {
  std::string pseudonym;
  std::string subject_id;
  std::string name;
  std::string consent;
  std::optional<int64_t> retain_until;
  int64_t enrolled_at = 0;
  int64_t templates = 0;
  std::string display() const { return name.empty() ? pseudonym : name; }
};

struct StoredTemplate {
  int64_t id = 0;
  std::string pseudonym;
  std::string model_hash;
  std::vector<float> values;
};

struct Threshold {
  double fpir = 0;
  double value = 0;
  int64_t gallery_size = 0;  // persons enrolled when it was set: FPIR grows with it
  int64_t calibrated_at = 0;
};

struct AuditEntry {
  int64_t time = 0;
  std::string event;  // enroll, identify, forget, purge, rekey, calibrate
  std::optional<std::string> pseudonym;
  int64_t count = 0;
};

class GalleryStore {
 public:
  static constexpr int kBusyMs = 2000;

  // Creates the gallery file, bound to `key` and (when given) to the model of its templates;
  // throws stride::Error when `path` exists.
  static void create(const std::filesystem::path& path, const GalleryKey& key,
                     const std::optional<ModelIdentity>& model);
  // Opens the gallery; throws stride::Error with one line for a file that is not a gallery, a
  // schema newer than this build's, a key that is not the gallery's, or a lock held past `busy_ms`.
  // `key` must outlive the store.
  GalleryStore(const std::filesystem::path& path, const GalleryKey& key, int busy_ms = kBusyMs);

  const std::filesystem::path& path() const { return db_.path(); }
  std::optional<ModelIdentity> model() const;
  // Throws stride::Error unless the gallery's templates (if any model is set) are `model`'s.
  void require_model(const ModelIdentity& model) const;

  // Adds a person and their templates in one transaction; returns the pseudonym. Refuses a subject
  // enrolled already, templates of another model than the gallery's, and templates whose length
  // differs from the gallery's.
  std::string enroll(const Enrollment& enrollment, const ModelIdentity& model);

  std::vector<Person> persons() const;
  std::vector<StoredTemplate> templates() const;
  int64_t person_count() const;
  std::optional<std::string> pseudonym_of_subject(const std::string& subject_id) const;  // enrolled ones only
  std::optional<std::string> pseudonym_of_name(const std::string& name) const;

  // Removes the person and every row that names them, then scrubs the file; returns the templates removed.
  int64_t forget(const std::string& pseudonym);
  // Forgets everyone whose retention date is before `now` (Unix seconds); returns how many.
  int64_t purge(int64_t now);
  // Seals everything again under `new_key` (new pseudonyms included) in one transaction, then
  // scrubs the file; from then on the store uses `new_key`, which must outlive it.
  void rekey(const GalleryKey& new_key);

  void set_threshold(const ModelIdentity& model, const Threshold& threshold, int64_t searches);
  std::optional<Threshold> threshold() const;  // of the gallery's model
  // An audit line for work that changes nothing stored (identify).
  void audit(const std::string& event, int64_t count);
  std::vector<AuditEntry> audit_log() const;

 private:
  void add_audit(const std::string& event, const std::optional<std::string>& pseudonym, int64_t count);
  int64_t delete_person(const std::string& pseudonym);  // inside a transaction
  void scrub();  // checkpoint, VACUUM, checkpoint: no deleted row left in the file or its WAL
  std::string open_value(const std::string& sealed, const std::string& associated, const std::string& what) const;

  mutable SqliteDatabase db_;
  const GalleryKey* key_;
};

}  // namespace stride::gallery
