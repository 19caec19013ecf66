/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "core/cb-template.h"
#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-find.h"
#include "store/cb-store-private.h"
#include "store/cb-store-readings.h"
#include "store/cb-store-records.h"
#include "store/cb-store-standards.h"

#define PASSWORD "检定规程-2026"

typedef struct
{
  char    *dir;
  char    *path;
  CbStore *store;
  gint64   performer, checker, approver, outsider;
  gint64   task, task_withdrawn, version, draft_version;
  gint64   standard, expired, out_of_service;
} Fixture;

/* Inserts a row from name, value pairs ending with NULL. */
static gint64
add (CbStore    *store,
     const char *table,
     ...)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;
  gint64 row;

  va_start (args, table);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (fields, (gpointer) field);
      g_ptr_array_add (values, va_arg (args, char *));
    }
  va_end (args);

  row = cb_store_insert (store, table, (const char * const *) fields->pdata,
                         (const char * const *) values->pdata, fields->len, NULL, &error);
  g_assert_no_error (error);
  return row;
}

static char *
id (gint64 row)
{
  return g_strdup_printf ("%lld", (long long) row);
}

static gint64
add_staff (CbStore    *store,
           const char *login,
           const char *name,
           const char *kind,
           const char *valid_until)
{
  gint64 staff = add (store, "staff", "login", login, "name", name, NULL);
  g_autofree char *staff_text = id (staff);

  if (kind != NULL)
    add (store, "authorisations", "staff_id", staff_text, "item", "一般压力表", "kind", kind,
         "valid_from", "2020-01-01", "valid_until", valid_until, NULL);
  g_assert_true (cb_store_set_password (store, staff, PASSWORD, "new account", NULL));
  return staff;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *customer = NULL, *order = NULL, *sample = NULL, *method = NULL, *old_method = NULL;
  g_autofree char *template = NULL, *performer = NULL, *approver = NULL, *document = NULL;
  CbStore *store;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "lab.db", NULL);
  store = fixture->store = cb_store_open (fixture->path, &error);
  g_assert_no_error (error);
  cb_store_set_password_policy (store, CB_PASSWORD_POLICY_TEST);

  fixture->performer = add_staff (store, "zhang.wei", "张伟", "perform", "2099-12-31");
  fixture->checker = add_staff (store, "li.na", "李娜", "check", "2099-12-31");
  fixture->approver = add_staff (store, "wang.qiang", "王强", "approve", "2099-12-31");
  fixture->outsider = add_staff (store, "zhao.lei", "赵磊", "perform", "2021-06-30");
  performer = id (fixture->performer);
  approver = id (fixture->approver);
  {
    g_autofree char *checker = id (fixture->checker);

    add (store, "authorisations", "staff_id", checker, "item", "一般压力表", "kind", "approve",
         "valid_from", "2020-01-01", "valid_until", "2099-12-31", NULL);
    add (store, "staff_roles", "staff_id", checker, "role", "approver", NULL);
  }
  add (store, "staff_roles", "staff_id", approver, "role", "approver", NULL);

  customer = id (add (store, "customers", "name", "唐山钢铁集团有限责任公司", NULL));
  order = id (add (store, "orders", "number", "WT2026-00017", "customer_id", customer, "received", "2026-11-20", NULL));
  sample = id (add (store, "samples", "label", "S2026-000123", "order_id", order, "name", "一般压力表", "serial", "P-20419", NULL));
  method = id (add (store, "methods", "code", "JJG 52-2013", "name", "弹性元件式一般压力表、压力真空表和真空表",
                    "kind", "verification-regulation", NULL));
  old_method = id (add (store, "methods", "code", "JJG 52-1999", "name", "弹簧管式一般压力表",
                        "kind", "verification-regulation", "status", "withdrawn", NULL));
  fixture->task = add (store, "tasks", "sample_id", sample, "item", "一般压力表", "method_id", method, NULL);
  fixture->task_withdrawn = add (store, "tasks", "sample_id", sample, "item", "一般压力表", "method_id", old_method, NULL);
  template = id (add (store, "templates", "name", "一般压力表检定记录", "item", "一般压力表", "method_id", method, NULL));
  {
    g_autoptr(CbTemplate) gauge = cb_template_new_shipped ("jjg52-2013-pressure-gauge", NULL);

    document = cb_template_to_data (gauge);
  }
  fixture->version = add (store, "template_versions", "template_id", template, "version", "1", "document", document,
                          "state", "approved", "author_id", performer, "approved_by", approver, NULL);
  fixture->draft_version = add (store, "template_versions", "template_id", template, "version", "2", "document", "{}",
                                "author_id", performer, NULL);
  fixture->standard = add (store, "standards", "asset_no", "BZ-0007", "name", "精密压力表",
                           "valid_until", "2099-01-01", NULL);
  fixture->expired = add (store, "standards", "asset_no", "BZ-0008", "name", "活塞式压力计",
                          "valid_until", "2020-01-01", NULL);
  fixture->out_of_service = add (store, "standards", "asset_no", "BZ-0009", "name", "压力校验器",
                                 "valid_until", "2099-01-01", "status", "out-of-service", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->store, cb_store_close);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
start_record (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 record = cb_store_record_create (fixture->store, fixture->task, fixture->version, fixture->performer,
                                          &fixture->standard, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpint (record, >, 0);
  return record;
}

static void
assert_state (Fixture    *fixture,
              gint64      record,
              const char *expected)
{
  g_autofree char *state = cb_store_get_field (fixture->store, "records", record, "state", NULL);

  g_assert_cmpstr (state, ==, expected);
}

static void
assert_task_state (Fixture    *fixture,
                   const char *expected)
{
  g_autofree char *state = cb_store_get_field (fixture->store, "tasks", fixture->task, "state", NULL);

  g_assert_cmpstr (state, ==, expected);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 record = start_record (fixture);
  g_autofree char *task_state = cb_store_get_field (fixture->store, "tasks", fixture->task, "state", NULL);

  assert_state (fixture, record, "draft");
  g_assert_cmpstr (task_state, ==, "measuring");
}

/* Readings keep their provenance, are audited like every write, and an
 * approved record takes no more. */
static void
test_readings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) readings = NULL;
  gint64 record = start_record (fixture);
  CbStoredReading *reading;
  gint64 typed, measured;

  typed = cb_store_record_add_reading (fixture->store, record, "indication/1/up_before", "0.33", "typed",
                                       NULL, NULL, "2026-11-23T09:15:00+08:00", NULL, &error);
  g_assert_no_error (error);
  measured = cb_store_record_add_reading (fixture->store, record, "indication/2/up_before", "+6.5E-01",
                                          "instrument", "DRUCK,PACE5000,3127465,02.03.05 #3127465",
                                          ":SENS:PRES:INL? +6.5E-01,1", "2026-11-23T01:16:02Z",
                                          "{\"room\": \"压力室\", \"temperature\": \"20.3\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (measured, >, typed);

  readings = cb_store_reading_list (fixture->store, record, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (readings->len, ==, 2);
  reading = g_ptr_array_index (readings, 0);
  g_assert_cmpstr (reading->source, ==, "typed");
  g_assert_cmpstr (reading->taken_at, ==, "2026-11-23T01:15:00Z");
  g_assert_null (reading->instrument);
  reading = g_ptr_array_index (readings, 1);
  g_assert_cmpstr (reading->cell, ==, "indication/2/up_before");
  g_assert_cmpstr (reading->value, ==, "+6.5E-01");
  g_assert_cmpstr (reading->instrument, ==, "DRUCK,PACE5000,3127465,02.03.05 #3127465");
  g_assert_cmpstr (reading->raw_reply, ==, ":SENS:PRES:INL? +6.5E-01,1");
  g_assert_nonnull (strstr (reading->environment, "20.3"));

  /* An instrument's reading names the instrument; the source is one of two. */
  g_assert_cmpint (cb_store_record_add_reading (fixture->store, record, "indication/3/up_before", "0.95",
                                                "instrument", NULL, NULL, "2026-11-23T01:17:00Z", NULL,
                                                &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cb_store_record_add_reading (fixture->store, record, "indication/3/up_before", "0.95",
                                                "guessed", NULL, NULL, "2026-11-23T01:17:00Z", NULL,
                                                &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cb_store_record_add_reading (fixture->store, record + 100, "indication/3/up_before", "0.95",
                                                "typed", NULL, NULL, "2026-11-23T01:17:00Z", NULL,
                                                &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cb_store_update (fixture->store, "records", record, "state", "approved", "test", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_record_add_reading (fixture->store, record, "indication/3/up_before", "0.95",
                                                "typed", NULL, NULL, "2026-11-23T01:17:00Z", NULL,
                                                &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
}

static void
assert_create_refused (Fixture    *fixture,
                       gint64      task,
                       gint64      version,
                       gint64      performer,
                       gint64      standard,
                       int         code,
                       const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cb_store_record_create (fixture->store, task, version, performer, &standard, 1, &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_create_refusals (Fixture       *fixture,
                      gconstpointer  data)
{
  assert_create_refused (fixture, fixture->task, fixture->version, fixture->performer, fixture->expired,
                         CB_STORE_ERROR_RULE, "BZ-0008");
  assert_create_refused (fixture, fixture->task, fixture->version, fixture->performer, fixture->out_of_service,
                         CB_STORE_ERROR_RULE, "BZ-0009");
  assert_create_refused (fixture, fixture->task_withdrawn, fixture->version, fixture->performer, fixture->standard,
                         CB_STORE_ERROR_RULE, "JJG 52-1999");
  assert_create_refused (fixture, fixture->task, fixture->draft_version, fixture->performer, fixture->standard,
                         CB_STORE_ERROR_RULE, "version 2");
  /* An authorisation that ran out in 2021. */
  assert_create_refused (fixture, fixture->task, fixture->version, fixture->outsider, fixture->standard,
                         CB_STORE_ERROR_PERMISSION, "赵磊");
  /* Nothing was written by the refusals. */
  g_assert_null (cb_store_get_field (fixture->store, "records", 1, "state", NULL));
}

static void
test_sign_off (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 record = start_record (fixture);

  g_assert_true (cb_store_record_set_data (fixture->store, record, fixture->performer,
                                           "{\"points\": [0, 1.6]}", "{\"error\": 0.01}", "measured", NULL));
  {
    g_autoptr(GError) error = NULL;

    /* Order: nobody checks before the performer signs. */
    g_assert_false (cb_store_record_sign (fixture->store, record, fixture->checker, CB_SIGN_CHECKED, PASSWORD, &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
    g_clear_error (&error);
    /* The password is asked again. */
    g_assert_false (cb_store_record_sign (fixture->store, record, fixture->performer, CB_SIGN_PERFORMED, "wrong", &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
    g_clear_error (&error);
    g_assert_true (cb_store_record_sign (fixture->store, record, fixture->performer, CB_SIGN_PERFORMED, PASSWORD, &error));
    g_assert_no_error (error);
    assert_state (fixture, record, "performed");
    assert_task_state (fixture, "to-check");

    /* The checker is not the performer. */
    g_assert_false (cb_store_record_sign (fixture->store, record, fixture->performer, CB_SIGN_CHECKED, PASSWORD, &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
    g_clear_error (&error);
    g_assert_true (cb_store_record_sign (fixture->store, record, fixture->checker, CB_SIGN_CHECKED, PASSWORD, &error));
    assert_state (fixture, record, "checked");
    assert_task_state (fixture, "to-approve");

    /* The approver is neither: the checker is also a signatory, but not here. */
    g_assert_false (cb_store_record_sign (fixture->store, record, fixture->checker, CB_SIGN_APPROVED, PASSWORD, &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
    g_clear_error (&error);
    g_assert_true (cb_store_record_sign (fixture->store, record, fixture->approver, CB_SIGN_APPROVED, PASSWORD, &error));
    g_assert_no_error (error);
    assert_state (fixture, record, "approved");
    assert_task_state (fixture, "approved");

    /* Approved data no longer change. */
    g_assert_false (cb_store_record_set_data (fixture->store, record, fixture->performer, "{}", "{}", "late fix", &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  }
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  sqlite3_prepare_v2 (fixture->store->db, sql, -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_return_and_change (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 record = start_record (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_hash = NULL;
  g_autofree char *reason = NULL;

  g_assert_true (cb_store_record_set_data (fixture->store, record, fixture->performer, "{\"a\": 1}", "{}", "measured", NULL));
  signed_hash = cb_store_record_hash (fixture->store, record, NULL);
  g_assert_true (cb_store_record_sign (fixture->store, record, fixture->performer, CB_SIGN_PERFORMED, PASSWORD, NULL));
  g_assert_cmpint (count (fixture, "SELECT COUNT(*) FROM signatures WHERE voided = 0"), ==, 1);

  /* A return needs a reason. */
  g_assert_false (cb_store_record_return (fixture->store, record, fixture->checker, "", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_true (cb_store_record_return (fixture->store, record, fixture->checker, "第 3 点读数缺失", &error));
  g_assert_no_error (error);
  assert_state (fixture, record, "returned");
  reason = cb_store_get_field (fixture->store, "records", record, "return_reason", NULL);
  assert_task_state (fixture, "returned");
  g_assert_cmpstr (reason, ==, "第 3 点读数缺失");
  g_assert_cmpint (count (fixture, "SELECT COUNT(*) FROM signatures WHERE voided = 0"), ==, 0);

  /* Only the performer changes the data. */
  g_assert_false (cb_store_record_set_data (fixture->store, record, fixture->checker, "{}", "{}", "fix", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  g_clear_error (&error);

  /* Signed again, then changed: the signature over the old data is voided. */
  g_assert_true (cb_store_record_sign (fixture->store, record, fixture->performer, CB_SIGN_PERFORMED, PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_record_set_data (fixture->store, record, fixture->performer, "{\"a\": 2}", "{}", "补测第 3 点", &error));
  g_assert_no_error (error);
  assert_state (fixture, record, "draft");
  g_assert_cmpint (count (fixture, "SELECT COUNT(*) FROM signatures WHERE voided = 0"), ==, 0);
  /* A signature binds the exact version signed. */
  {
    g_autofree char *now = cb_store_record_hash (fixture->store, record, NULL);

    g_assert_cmpstr (now, !=, signed_hash);
    g_assert_cmpint (count (fixture, "SELECT COUNT(DISTINCT record_hash) FROM signatures"), ==, 1);
  }
}

static void
test_issued_certificate_frozen (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 certificate = add (fixture->store, "certificates", "number", "JD2026-000101", "kind", "original", NULL);

  g_assert_true (cb_store_update (fixture->store, "certificates", certificate, "status", "issued", "approved", &error));
  g_assert_no_error (error);
  g_assert_false (cb_store_update (fixture->store, "certificates", certificate, "number", "JD2026-000102", "typo", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "supplement or a replacement"));
  g_clear_error (&error);
  g_assert_false (cb_store_update (fixture->store, "certificates", certificate, "status", "draft", "reopen", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (cb_store_update (fixture->store, "certificates", certificate, "status", "superseded",
                                  "replaced by JD2026-000115", &error));
  g_assert_no_error (error);
}

static void
test_find (Fixture       *fixture,
           gconstpointer  data)
{
  gint64 record = start_record (fixture);
  gint64 other = start_record (fixture);
  g_autoptr(GArray) by_customer = NULL;
  g_autoptr(GArray) by_serial = NULL;
  g_autoptr(GArray) nobody = NULL;

  g_assert_cmpint (cb_store_find_sample (fixture->store, "S2026-000123", NULL), ==, 1);
  g_assert_cmpint (cb_store_find_sample (fixture->store, "S2026-999999", NULL), ==, 0);
  g_assert_cmpint (cb_store_find_certificate (fixture->store, "JD2026-000001", NULL), ==, 0);

  by_customer = cb_store_find_records_by_customer (fixture->store, 1, 0, NULL);
  g_assert_cmpuint (by_customer->len, ==, 2);
  g_assert_cmpint (g_array_index (by_customer, gint64, 0), ==, other);
  g_assert_cmpint (g_array_index (by_customer, gint64, 1), ==, record);
  by_serial = cb_store_find_records_by_serial (fixture->store, "P-20419", 1, NULL);
  g_assert_cmpuint (by_serial->len, ==, 1);
  g_assert_cmpint (g_array_index (by_serial, gint64, 0), ==, other);
  nobody = cb_store_find_records_by_customer (fixture->store, 42, 0, NULL);
  g_assert_cmpuint (nobody->len, ==, 0);
}

static void
test_migration_from_version_1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(CbStore) store = NULL;
  g_autofree char *number = NULL;
  guint n_migrations;
  const char * const *migrations = cb_store_schema_migrations (&n_migrations);
  sqlite3 *db = NULL;

  g_assert_cmpuint (n_migrations, >=, 2);
  /* A file as the first release wrote it, with an issued certificate. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 1;"
                                 "INSERT INTO certificates (number, kind, status) VALUES ('JD2025-009999', 'original', 'issued');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = cb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_get_schema_version (store), ==, cb_store_current_schema ());
  number = cb_store_get_field (store, "certificates", 1, "number", NULL);
  g_assert_cmpstr (number, ==, "JD2025-009999");
  /* The new rule holds for the old data. */
  g_assert_false (cb_store_update (store, "certificates", 1, "number", "JD2025-000001", "test", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_CONSTRAINT);

  g_clear_pointer (&store, cb_store_close);
  store_test_remove_dir (dir);
}

/* Values entered one by one: each stored as a reading at once, a change
 * needs a reason and voids the old reading, the history shows both, and the
 * record loads back with the latest values. */
static void
test_enter_and_history (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbRecord) again = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) current = NULL;
  CbReadingSource instrument = { "Druck PACE5000 #3321", "+1.60012E+00", "2026-11-23T10:15:00+08:00", NULL };
  gint64 id = start_record (fixture);
  CbStoredReading *old;
  CbCell cell;

  cb_store_set_actor (fixture->store, "zhang.wei", "bench-2");
  record = cb_store_record_load (fixture->store, id, &error);
  g_assert_no_error (error);

  g_assert_true (cb_store_record_enter (fixture->store, id, fixture->performer, record, "indication/2/up_before",
                                        "0.33", NULL, NULL, &error));
  g_assert_no_error (error);
  /* A second value for the same cell needs a reason. */
  g_assert_false (cb_store_record_enter (fixture->store, id, fixture->performer, record, "indication/2/up_before",
                                         "0.34", NULL, "  ", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED);
  g_assert_nonnull (strstr (error->message, "0.33"));
  g_clear_error (&error);
  g_assert_true (cb_store_record_enter (fixture->store, id, fixture->performer, record, "indication/2/up_before",
                                        "0.32", NULL, "读数看错一格", &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_record_enter (fixture->store, id, fixture->performer, record, "indication/6/up_after",
                                        "1.60", &instrument, NULL, &error));
  g_assert_no_error (error);

  /* Only the performer; never a computed cell. */
  g_assert_false (cb_store_record_enter (fixture->store, id, fixture->checker, record, "indication/2/up_after",
                                         "0.32", NULL, NULL, &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  g_clear_error (&error);
  g_assert_false (cb_store_record_enter (fixture->store, id, fixture->performer, record, "indication/2/e_up",
                                         "0.01", NULL, NULL, &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  history = cb_store_reading_history (fixture->store, id, "indication/2/up_before", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  old = g_ptr_array_index (history, 0);
  g_assert_cmpstr (old->value, ==, "0.33");
  g_assert_true (old->voided);
  g_assert_cmpstr (old->void_reason, ==, "读数看错一格");
  g_assert_cmpstr (old->entered_by, ==, "zhang.wei");
  g_assert_cmpstr (old->voided_by, ==, "zhang.wei");
  g_assert_nonnull (old->voided_at);
  g_assert_false (((CbStoredReading *) g_ptr_array_index (history, 1))->voided);

  current = cb_store_reading_list (fixture->store, id, &error);
  g_assert_cmpuint (current->len, ==, 2);
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (current, 1))->source, ==, "instrument");
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (current, 1))->raw_reply, ==, "+1.60012E+00");
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (current, 1))->taken_at, ==, "2026-11-23T02:15:00Z");

  /* Nothing saved yet, yet nothing is lost: the readings come back. */
  again = cb_store_record_load (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (cb_record_get_cell (again, "indication/2/up_before", &cell, NULL));
  g_assert_cmpstr (cell.text, ==, "0.32");
  g_assert_true (cb_record_get_cell (again, "indication/6/up_after", &cell, NULL));
  g_assert_cmpstr (cell.text, ==, "1.60");

  /* A value cleared with a reason stays cleared, even over the saved data. */
  g_assert_true (cb_store_record_save (fixture->store, id, fixture->performer, again, "保存", &error));
  g_assert_true (cb_store_record_enter (fixture->store, id, fixture->performer, again, "indication/6/up_after",
                                        "", NULL, "传感器未稳定，重测", &error));
  g_assert_no_error (error);
  {
    g_autoptr(CbRecord) cleared = cb_store_record_load (fixture->store, id, &error);

    g_assert_no_error (error);
    g_assert_true (cb_record_get_cell (cleared, "indication/6/up_after", &cell, NULL));
    g_assert_cmpint (cell.state, ==, CB_CELL_EMPTY);
  }

  /* Saved, it recomputes to its stored results. */
  g_assert_true (cb_store_record_save (fixture->store, id, fixture->performer, again, "保存", &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_record_verify (fixture->store, id, &error));
  g_assert_no_error (error);

  /* A value only the saved data holds (no reading of it) is changed by
   * the same rule, and its old value goes into the history. */
  g_assert_true (cb_record_set_value (again, "indication/3/up_before", "0.48", NULL));
  g_assert_true (cb_store_record_save (fixture->store, id, fixture->performer, again, "保存", &error));
  g_assert_no_error (error);
  g_assert_false (cb_store_record_enter (fixture->store, id, fixture->performer, again, "indication/3/up_before",
                                         "0.49", NULL, NULL, &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED);
  g_assert_nonnull (strstr (error->message, "0.48"));
  g_clear_error (&error);
  g_assert_true (cb_store_record_enter (fixture->store, id, fixture->performer, again, "indication/3/up_before",
                                        "0.49", NULL, "抄录错误", &error));
  g_assert_no_error (error);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = cb_store_reading_history (fixture->store, id, "indication/3/up_before", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  old = g_ptr_array_index (history, 0);
  g_assert_cmpstr (old->value, ==, "0.48");
  g_assert_true (old->voided);
  g_assert_cmpstr (old->void_reason, ==, "抄录错误");
  g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, 1))->value, ==, "0.49");
}

/* A record's standards by role: the one given at the start stands for the
 * template's role; another usable one replaces it only with a reason, the
 * old one voided; unusable ones and other people are refused. */
static void
test_record_standards (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) used = NULL;
  g_autoptr(CbStandardUsage) current = NULL;
  gint64 record = start_record (fixture);
  gint64 second = add (fixture->store, "standards", "asset_no", "BZ-0010", "name", "数字压力计",
                       "valid_until", "2099-06-30", NULL);

  current = cb_store_record_standard (fixture->store, record, "pressure_standard", &error);
  g_assert_no_error (error);
  g_assert_nonnull (current);
  g_assert_cmpint (current->standard_id, ==, fixture->standard);
  g_clear_pointer (&current, cb_standard_usage_free);

  /* Choosing the same one again changes nothing and needs no reason. */
  g_assert_true (cb_store_record_use_standard (fixture->store, record, fixture->performer, "pressure_standard",
                                               fixture->standard, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cb_store_record_use_standard (fixture->store, record, fixture->performer, "pressure_standard",
                                                second, " ", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (cb_store_record_use_standard (fixture->store, record, fixture->performer, "pressure_standard",
                                                fixture->expired, "换用", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, "BZ-0008"));
  g_clear_error (&error);
  g_assert_false (cb_store_record_use_standard (fixture->store, record, fixture->performer, "pressure_standard",
                                                fixture->out_of_service, "换用", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  g_clear_error (&error);
  g_assert_false (cb_store_record_use_standard (fixture->store, record, fixture->checker, "pressure_standard",
                                                second, "换用", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  g_clear_error (&error);

  g_assert_true (cb_store_record_use_standard (fixture->store, record, fixture->performer, "pressure_standard",
                                               second, "原标准器送检", &error));
  g_assert_no_error (error);
  current = cb_store_record_standard (fixture->store, record, "pressure_standard", &error);
  g_assert_cmpint (current->standard_id, ==, second);
  g_assert_cmpstr (current->role, ==, "pressure_standard");
  used = cb_store_record_standards (fixture->store, record, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (used->len, ==, 1);
  /* The replaced one is voided with the reason, not deleted. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standard_usage"
                                   " WHERE voided = 1 AND void_reason = '原标准器送检'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/records/create", test_create);
  ADD ("/store/records/create-refusals", test_create_refusals);
  ADD ("/store/records/readings", test_readings);
  ADD ("/store/records/sign-off", test_sign_off);
  ADD ("/store/records/return-and-change", test_return_and_change);
  ADD ("/store/certificates/issued-frozen", test_issued_certificate_frozen);
  ADD ("/store/find", test_find);
  ADD ("/store/records/enter-and-history", test_enter_and_history);
  ADD ("/store/records/standards", test_record_standards);
#undef ADD
  g_test_add_func ("/store/migration/from-version-1", test_migration_from_version_1);

  return g_test_run ();
}
