#include "stride/gallery/gallery_store.h"

#include <sqlite3.h>

#include <random>

#include "gallery_test_support.h"

namespace stride::gallery {
namespace {

const ModelIdentity kModel{"aa11bb22cc33dd44ee55ff6600112233aa11bb22cc33dd44ee55ff6600112233", "gaitset"};
const ModelIdentity kOtherModel{"9988776655443322110099887766554433221100998877665544332211009988", "gaitset-int8"};

std::vector<float> random_template(unsigned seed, size_t length = 64) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> value(-3, 3);
  std::vector<float> t(length);
  for (float& v : t) v = value(engine);
  return t;
}

Enrollment enrollment(const std::string& subject, const std::string& name, unsigned seed, size_t templates = 3) {
  Enrollment e{subject, name, "consent-form-" + subject, std::nullopt, {}};
  for (size_t i = 0; i < templates; ++i) e.templates.push_back(random_template(seed + static_cast<unsigned>(i)));
  return e;
}

// Runs one SQL statement on the gallery file through a connection of its own, as another program would.
void sql(const std::filesystem::path& db, const std::string& statement) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(handle, statement.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(handle);
}

// Flips one bit of a template's stored ciphertext, as damage or an attacker would.
void flip_bit_of_template(const std::filesystem::path& db, int64_t id, size_t byte) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(handle, "SELECT ciphertext FROM templates WHERE id = ?1", -1, &s, nullptr);
  sqlite3_bind_int64(s, 1, id);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  std::string sealed(static_cast<const char*>(sqlite3_column_blob(s, 0)), sqlite3_column_bytes(s, 0));
  sqlite3_finalize(s);
  sealed[byte] = static_cast<char>(sealed[byte] ^ 0x01);
  sqlite3_prepare_v2(handle, "UPDATE templates SET ciphertext = ?1 WHERE id = ?2", -1, &s, nullptr);
  sqlite3_bind_blob(s, 1, sealed.data(), static_cast<int>(sealed.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, id);
  EXPECT_EQ(sqlite3_step(s), SQLITE_DONE);
  sqlite3_finalize(s);
  sqlite3_close(handle);
}

class Gallery : public GalleryFolder {
 protected:
  void SetUp() override {
    GalleryFolder::SetUp();
    key_.emplace(GalleryKey::create(path("k")));
    GalleryStore::create(db(), *key_, kModel);
  }
  std::filesystem::path db() const { return path("g.db"); }
  GalleryStore open() const { return GalleryStore(db(), *key_); }

  std::optional<GalleryKey> key_;
};

TEST_F(Gallery, EnrolledPeopleComeBackAsTheyWentIn) {
  GalleryStore store = open();
  const Enrollment ada = enrollment("1", "Ada Lovelace", 10);
  const std::string pseudonym = store.enroll(ada, kModel);
  store.enroll(enrollment("2", "", 20, 2), kModel);
  EXPECT_EQ(pseudonym, key_->pseudonym("1"));
  const std::vector<Person> people = store.persons();
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].pseudonym, pseudonym);
  EXPECT_EQ(people[0].name, "Ada Lovelace");
  EXPECT_EQ(people[0].subject_id, "1");
  EXPECT_EQ(people[0].consent, "consent-form-1");
  EXPECT_EQ(people[0].templates, 3);
  EXPECT_EQ(people[1].display(), people[1].pseudonym);  // no name: the pseudonym stands for it
  const std::vector<StoredTemplate> templates = store.templates();
  ASSERT_EQ(templates.size(), 5u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(templates[i].pseudonym, pseudonym);
    EXPECT_EQ(templates[i].values, ada.templates[i]);
  }
  EXPECT_EQ(store.model()->name, "gaitset");
  EXPECT_EQ(store.pseudonym_of_name("Ada Lovelace"), pseudonym);
  EXPECT_FALSE(store.pseudonym_of_subject("3"));
}

TEST_F(Gallery, TheFileAndItsWalHoldNoTemplateAndNoNameInClear) {
  const Enrollment ada = enrollment("1", "Ada Lovelace", 10);
  {
    GalleryStore store = open();
    store.enroll(ada, kModel);
    // The WAL has the rows (no checkpoint yet): the search below covers it, not an empty file.
    ASSERT_GT(std::filesystem::file_size(db().string() + "-wal"), 0u);
    const std::string bytes = stored_bytes(db());
    EXPECT_TRUE(holds(bytes, "consent-form-1"));  // stored in clear by design: the search finds clear text
    EXPECT_FALSE(holds(bytes, "Ada Lovelace"));
    for (const std::vector<float>& t : ada.templates) {
      EXPECT_FALSE(holds(bytes, bytes_of(t)));
      EXPECT_FALSE(holds(bytes, bytes_of({t.begin(), t.begin() + 4})));  // not even 16 bytes of it
    }
  }
  const std::string closed = stored_bytes(db());  // after the last connection checkpointed
  EXPECT_TRUE(holds(closed, "consent-form-1"));
  EXPECT_FALSE(holds(closed, "Ada Lovelace"));
  EXPECT_FALSE(holds(closed, bytes_of(ada.templates[0])));
}

TEST_F(Gallery, AfterForgetNothingOfThePersonRemainsInTheFileOrWal) {
  GalleryStore store = open();
  const Enrollment ada = enrollment("1", "Ada Lovelace", 10);
  const std::string pseudonym = store.enroll(ada, kModel);
  store.enroll(enrollment("2", "Grace Hopper", 20), kModel);
  ASSERT_TRUE(holds(stored_bytes(db()), pseudonym));
  ASSERT_TRUE(holds(stored_bytes(db()), "consent-form-1"));
  // The ciphertexts as stored, to look for afterwards.
  std::vector<std::string> sealed;
  {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(handle, "SELECT ciphertext FROM templates WHERE pseudonym = ?1", -1, &s, nullptr);
    sqlite3_bind_text(s, 1, pseudonym.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW)
      sealed.emplace_back(static_cast<const char*>(sqlite3_column_blob(s, 0)), sqlite3_column_bytes(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(handle);
  }
  ASSERT_EQ(sealed.size(), 3u);
  ASSERT_TRUE(holds(stored_bytes(db()), sealed[0]));

  EXPECT_EQ(store.forget(pseudonym), 3);
  const std::string bytes = stored_bytes(db());
  EXPECT_FALSE(holds(bytes, pseudonym));
  EXPECT_FALSE(holds(bytes, "consent-form-1"));
  for (const std::string& s : sealed) EXPECT_FALSE(holds(bytes, s.substr(24, 32)));  // past the nonce
  for (const std::vector<float>& t : ada.templates) EXPECT_FALSE(holds(bytes, bytes_of(t)));
  EXPECT_FALSE(holds(bytes, "Ada Lovelace"));
  // The other person and the audit's record of what happened remain, the audit without the pseudonym.
  ASSERT_EQ(store.persons().size(), 1u);
  EXPECT_EQ(store.persons()[0].name, "Grace Hopper");
  EXPECT_TRUE(holds(bytes, "consent-form-2"));
  const std::vector<AuditEntry> log = store.audit_log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].event, "enroll");
  EXPECT_FALSE(log[0].pseudonym);
  EXPECT_EQ(log[2].event, "forget");
  EXPECT_EQ(log[2].count, 3);
  EXPECT_FALSE(log[2].pseudonym);
}

TEST_F(Gallery, AWrongKeyIsRefusedInOneLine) {
  const GalleryKey other = GalleryKey::create(path("other.key"));
  expect_one_line_error([&] { GalleryStore(db(), other); },
                        "the key in " + path("other.key").string() + " is not this gallery's key");
}

TEST_F(Gallery, ATamperedOrMovedCiphertextIsRefusedInOneLine) {
  {
    GalleryStore store = open();
    store.enroll(enrollment("1", "Ada Lovelace", 10), kModel);
  }
  flip_bit_of_template(db(), 2, 30);  // past its nonce
  expect_one_line_error([&] { open().templates(); }, "template 2 does not open: the row was altered or moved");

  // Two intact ciphertexts exchanged between rows: each is bound to its own row.
  std::filesystem::remove(db());
  GalleryStore::create(db(), *key_, kModel);
  open().enroll(enrollment("1", "Ada Lovelace", 10), kModel);
  sql(db(),
      "UPDATE templates SET ciphertext = (SELECT ciphertext FROM templates t WHERE t.id = 4 - templates.id) "
      "WHERE id IN (1, 3)");
  expect_one_line_error([&] { open().templates(); }, "template 1 does not open");
  // A name moved to another person.
  open().enroll(enrollment("2", "Grace Hopper", 20), kModel);
  sql(db(), "UPDATE persons SET name_ciphertext = (SELECT name_ciphertext FROM persons ORDER BY rowid LIMIT 1)");
  expect_one_line_error([&] { open().persons(); }, "does not open");
}

TEST_F(Gallery, AnotherModelsTemplatesAreRefused) {
  GalleryStore store = open();
  store.enroll(enrollment("1", "Ada", 10), kModel);
  expect_one_line_error([&] { store.enroll(enrollment("2", "Grace", 20), kOtherModel); },
                        "templates made by model gaitset-int8 (998877665544), this gallery holds model gaitset "
                        "(aa11bb22cc33)'s templates");
  EXPECT_EQ(store.person_count(), 1);
  // A gallery made without a model takes the first enrolment's, then holds to it.
  GalleryStore::create(path("open.db"), *key_, std::nullopt);
  GalleryStore unbound(path("open.db"), *key_);
  EXPECT_FALSE(unbound.model());
  unbound.enroll(enrollment("1", "Ada", 10), kOtherModel);
  EXPECT_EQ(unbound.model()->hash, kOtherModel.hash);
  expect_one_line_error([&] { unbound.enroll(enrollment("2", "Grace", 20), kModel); }, "this gallery holds model");
}

TEST_F(Gallery, ANewerSchemaIsRefusedInOneLine) {
  sql(db(), "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  expect_one_line_error([&] { open(); }, "schema version 2 is newer than this build's (1)");
  std::ofstream(path("notes.db")) << "not a database at all, just some text that is long enough to be read";
  expect_one_line_error([&] { GalleryStore(path("notes.db"), *key_); }, "notes.db");
  // Another program's SQLite database is refused and left as it was: not switched to WAL.
  sql(path("other.db"), "CREATE TABLE notes(text TEXT)");
  expect_one_line_error([&] { GalleryStore(path("other.db"), *key_); }, "not a gallery (no schema version)");
  EXPECT_FALSE(std::filesystem::exists(path("other.db-wal")));
  EXPECT_EQ(file_bytes(path("other.db"))[18], 1);  // the header's write version: 1 legacy, 2 WAL
}

TEST_F(Gallery, ADatabaseLockedByAnotherProcessIsRefusedInOneLine) {
  GalleryStore store(db(), *key_, 50);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO audit VALUES (0, 'identify', NULL, 0);", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  expect_one_line_error([&] { store.enroll(enrollment("1", "Ada", 10), kModel); },
                        "gallery " + db().string() + " is locked by another process");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  store.enroll(enrollment("1", "Ada", 10), kModel);  // free again
  EXPECT_EQ(store.person_count(), 1);
}

TEST_F(Gallery, AnEnrolmentInterruptedHalfWayLeavesTheGalleryAsItWas) {
  GalleryStore store = open();
  store.enroll(enrollment("1", "Ada", 10), kModel);
  const std::vector<StoredTemplate> before = store.templates();
  const size_t audit_before = store.audit_log().size();
  // The third template is short: the enrolment fails after the person and two templates were written.
  Enrollment broken = enrollment("2", "Grace Hopper", 20);
  broken.templates[2].resize(10);
  expect_one_line_error([&] { store.enroll(broken, kModel); }, "template 3 of subject 2 has 10 values");
  EXPECT_EQ(store.person_count(), 1);
  EXPECT_FALSE(store.pseudonym_of_subject("2"));
  const std::vector<StoredTemplate> after = store.templates();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].values, before[i].values);
  EXPECT_EQ(store.audit_log().size(), audit_before);
  EXPECT_FALSE(holds(stored_bytes(db()), key_->pseudonym("2")));
  // Enrolled again, it goes in whole.
  broken.templates[2] = random_template(99);
  store.enroll(broken, kModel);
  EXPECT_EQ(store.templates().size(), before.size() + 3);
}

TEST_F(Gallery, ASubjectIsEnrolledOnce) {
  GalleryStore store = open();
  store.enroll(enrollment("1", "Ada", 10), kModel);
  expect_one_line_error([&] { store.enroll(enrollment("1", "Ada again", 30), kModel); },
                        "subject 1 is enrolled already");
}

TEST_F(Gallery, PurgeForgetsThoseWhoseRetentionHasPassed) {
  GalleryStore store = open();
  Enrollment expired = enrollment("1", "Ada", 10), current = enrollment("2", "Grace", 20);
  expired.retain_until = 1000;
  current.retain_until = 3000;
  store.enroll(expired, kModel);
  store.enroll(current, kModel);
  store.enroll(enrollment("3", "Kept until forgotten", 30), kModel);
  EXPECT_EQ(store.purge(2000), 1);
  std::vector<std::string> names;
  for (const Person& p : store.persons()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Grace", "Kept until forgotten"}));
  EXPECT_FALSE(holds(stored_bytes(db()), key_->pseudonym("1")));
  EXPECT_EQ(store.audit_log().back().event, "purge");
  EXPECT_EQ(store.audit_log().back().count, 1);
}

TEST_F(Gallery, RekeySealsEverythingAgainUnderTheNewKey) {
  const Enrollment ada = enrollment("1", "Ada Lovelace", 10);
  const std::string old_pseudonym = key_->pseudonym("1");
  const GalleryKey new_key = GalleryKey::create(path("k2"));
  {
    GalleryStore store = open();
    store.enroll(ada, kModel);
    store.enroll(enrollment("2", "Grace", 20), kModel);
    store.rekey(new_key);
    EXPECT_EQ(store.persons().size(), 2u);  // the store goes on with the new key
  }
  expect_one_line_error([&] { open(); }, "is not this gallery's key");
  GalleryStore store(db(), new_key);
  const std::vector<Person> people = store.persons();
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].name, "Ada Lovelace");
  EXPECT_EQ(people[0].pseudonym, new_key.pseudonym("1"));
  EXPECT_EQ(store.templates()[0].values, ada.templates[0]);
  EXPECT_FALSE(holds(stored_bytes(db()), old_pseudonym));
  EXPECT_EQ(store.audit_log()[0].pseudonym, new_key.pseudonym("1"));
  EXPECT_EQ(store.audit_log().back().event, "rekey");
}

TEST_F(Gallery, TheThresholdIsKeptWithItsFpirAndGallerySize) {
  GalleryStore store = open();
  EXPECT_FALSE(store.threshold());
  store.set_threshold(kModel, {0.01, 0.8125, 7, 1234}, 300);
  const std::optional<Threshold> t = store.threshold();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->fpir, 0.01);
  EXPECT_EQ(t->value, 0.8125);
  EXPECT_EQ(t->gallery_size, 7);
  EXPECT_EQ(t->calibrated_at, 1234);
  EXPECT_EQ(store.audit_log().back().event, "calibrate");
  EXPECT_EQ(store.audit_log().back().count, 300);
  expect_one_line_error([&] { store.set_threshold(kOtherModel, {0.01, 0.5, 7, 0}, 1); }, "this gallery holds model");
}

}  // namespace
}  // namespace stride::gallery
