/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-audit.h"

typedef struct
{
  char    *dir;
  char    *path;
  CbStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "lab.db", NULL);
  fixture->store = cb_store_open (fixture->path, &error);
  g_assert_no_error (error);
  cb_store_set_actor (fixture->store, "zhang.wei", "bench-3");
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

/* Runs SQL on the file directly, as someone going around the store would. */
static int
raw_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

static gint64
add_customer (CbStore    *store,
              const char *name)
{
  const char *fields[] = { "name", "address" };
  const char *values[] = { name, "石家庄市裕华区" };
  g_autoptr(GError) error = NULL;
  gint64 row;

  row = cb_store_insert (store, "customers", fields, values, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (row, >, 0);
  return row;
}

static void
test_schema (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) again = NULL;

  g_assert_cmpint (cb_store_get_schema_version (fixture->store), ==, cb_store_current_schema ());
  g_assert_cmpint (cb_store_current_schema (), >=, 1);

  /* Reopening an up-to-date file migrates nothing and keeps the data. */
  add_customer (fixture->store, "河北省计量监督检测研究院");
  g_clear_pointer (&fixture->store, cb_store_close);
  again = cb_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_store_get_field (again, "customers", 1, "name", &error), ==, "河北省计量监督检测研究院");
}

static void
test_newer_schema_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", cb_store_current_schema () + 1);
  CbStore *store;

  g_clear_pointer (&fixture->store, cb_store_close);
  g_assert_cmpint (raw_sql (fixture->path, sql), ==, SQLITE_OK);
  store = cb_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer Calbench"));
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  data)
{
  /* WAL leaves its file beside the database. */
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

  add_customer (fixture->store, "一");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_insert_is_audited (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 row = add_customer (fixture->store, "唐山市计量测试所");
  CbAuditEntry *entry;
  gint64 n = 0;

  history = cb_store_audit_history (fixture->store, "customers", row, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  entry = g_ptr_array_index (history, 0);
  g_assert_cmpstr (entry->action, ==, "insert");
  g_assert_cmpstr (entry->field, ==, "name");
  g_assert_null (entry->old_value);
  g_assert_cmpstr (entry->new_value, ==, "唐山市计量测试所");
  g_assert_cmpstr (entry->actor, ==, "zhang.wei");
  g_assert_cmpstr (entry->workstation, ==, "bench-3");
  g_assert_true (g_str_has_suffix (entry->utc, "Z"));
  g_assert_nonnull (entry->local_time);

  g_assert_true (cb_store_audit_verify (fixture->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2);
}

static void
test_update_needs_reason (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 row = add_customer (fixture->store, "保定市计量所");
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *name = NULL;
  CbAuditEntry *entry;

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_store_update (fixture->store, "customers", row, "name", "保定市计量测试所", "  ", &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED);
    g_assert_nonnull (strstr (error->message, "customers.name"));
  }
  name = cb_store_get_field (fixture->store, "customers", row, "name", NULL);
  g_assert_cmpstr (name, ==, "保定市计量所");

  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cb_store_update (fixture->store, "customers", row, "name", "保定市计量测试所",
                                    "名称以营业执照为准", &error));
    g_assert_no_error (error);
  }
  history = cb_store_audit_history (fixture->store, "customers", row, "name", NULL);
  g_assert_cmpuint (history->len, ==, 2);
  entry = g_ptr_array_index (history, 1);
  g_assert_cmpstr (entry->action, ==, "update");
  g_assert_cmpstr (entry->old_value, ==, "保定市计量所");
  g_assert_cmpstr (entry->new_value, ==, "保定市计量测试所");
  g_assert_cmpstr (entry->reason, ==, "名称以营业执照为准");
  g_assert_true (cb_store_audit_verify (fixture->store, NULL, NULL));
  g_assert_true (cb_store_audit_verify_rows (fixture->store, NULL));
}

static void
test_void_keeps_row (Fixture       *fixture,
                     gconstpointer  data)
{
  gint64 row = add_customer (fixture->store, "廊坊市计量所");
  g_autofree char *voided = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *name = NULL;

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_store_void (fixture->store, "customers", row, NULL, &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED);
  }
  g_assert_true (cb_store_void (fixture->store, "customers", row, "重复登记", NULL));
  voided = cb_store_get_field (fixture->store, "customers", row, "voided", NULL);
  reason = cb_store_get_field (fixture->store, "customers", row, "void_reason", NULL);
  name = cb_store_get_field (fixture->store, "customers", row, "name", NULL);
  g_assert_cmpstr (voided, ==, "1");
  g_assert_cmpstr (reason, ==, "重复登记");
  g_assert_cmpstr (name, ==, "廊坊市计量所");
  g_assert_true (cb_store_audit_verify_rows (fixture->store, NULL));
}

static void
test_bad_names (Fixture       *fixture,
                gconstpointer  data)
{
  const char *fields[] = { "name; DROP TABLE staff" };
  const char *values[] = { "x" };
  const char *system_fields[] = { "voided" };

  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_insert (fixture->store, "customers", fields, values, 1, NULL, &error), ==, 0);
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_insert (fixture->store, "audit", fields, values, 1, NULL, &error), ==, 0);
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "audit"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_insert (fixture->store, "customers", system_fields, values, 1, NULL, &error), ==, 0);
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_store_update (fixture->store, "customers", 999, "name", "x", "reason", &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "999"));
  }
  /* A constraint names the table; nothing is written, not even to the audit trail. */
  {
    const char *state_fields[] = { "number", "customer_id", "received", "state" };
    const char *state_values[] = { "WT2026-0001", "1", "2026-11-23", "lost" };
    g_autoptr(GError) error = NULL;
    gint64 n = 0;

    add_customer (fixture->store, "一");
    g_assert_cmpint (cb_store_insert (fixture->store, "orders", state_fields, state_values, 4, NULL, &error), ==, 0);
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "orders"));
    g_assert_true (cb_store_audit_verify (fixture->store, &n, NULL));
    g_assert_cmpint (n, ==, 2);
  }
}

static void
test_audit_append_only (Fixture       *fixture,
                        gconstpointer  data)
{
  add_customer (fixture->store, "沧州市计量所");
  g_clear_pointer (&fixture->store, cb_store_close);
  g_assert_cmpint (raw_sql (fixture->path, "UPDATE audit SET new_value = 'x' WHERE seq = 1"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_sql (fixture->path, "DELETE FROM audit"), ==, SQLITE_CONSTRAINT);
}

static void
test_tampered_audit_row (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;

  add_customer (fixture->store, "邢台市计量所");
  add_customer (fixture->store, "邯郸市计量所");
  g_clear_pointer (&fixture->store, cb_store_close);

  /* Someone drops the guard and edits entry 3. */
  g_assert_cmpint (raw_sql (fixture->path,
                            "DROP TRIGGER audit_append_only_update;"
                            "UPDATE audit SET new_value = '假的计量所' WHERE seq = 3;"), ==, SQLITE_OK);
  store = cb_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (cb_store_audit_verify (store, NULL, &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, "audit entry 3 "));
}

static void
test_tampered_data_row (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbStore) store = NULL;

  add_customer (fixture->store, "承德市计量所");
  add_customer (fixture->store, "张家口市计量所");
  g_clear_pointer (&fixture->store, cb_store_close);

  g_assert_cmpint (raw_sql (fixture->path, "UPDATE customers SET address = '北京' WHERE id = 2"), ==, SQLITE_OK);
  store = cb_store_open (fixture->path, NULL);
  g_assert_true (cb_store_audit_verify (store, NULL, NULL));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_store_audit_verify_rows (store, &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED);
    g_assert_nonnull (strstr (error->message, "customers row 2, field address"));
  }
  g_clear_pointer (&store, cb_store_close);

  /* A row added behind the store's back is named too. */
  g_assert_cmpint (raw_sql (fixture->path,
                            "UPDATE customers SET address = '石家庄市裕华区' WHERE id = 2;"
                            "INSERT INTO customers (name) VALUES ('影子客户');"), ==, SQLITE_OK);
  store = cb_store_open (fixture->path, NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_store_audit_verify_rows (store, &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED);
    g_assert_nonnull (strstr (error->message, "customers row 3 has no audit entry"));
  }
}

static void
test_transaction_rollback (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  g_assert_true (cb_store_begin (fixture->store, &error));
  add_customer (fixture->store, "不会保存");
  cb_store_rollback (fixture->store);

  g_assert_true (cb_store_audit_verify (fixture->store, &n, NULL));
  g_assert_cmpint (n, ==, 0);
  g_assert_null (cb_store_get_field (fixture->store, "customers", 1, "name", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND);
}

/* The cached last entry of the chain must not outlive another connection's
 * commit, nor a rollback. */
static void
test_two_connections (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) other = cb_store_open (fixture->path, &error);
  gint64 n = 0;

  g_assert_no_error (error);
  cb_store_set_actor (other, "li.na", "reception-1");
  for (guint i = 0; i < 4; i++)
    {
      add_customer (fixture->store, "石家庄市计量所");
      add_customer (other, "唐山市计量所");
      add_customer (other, "秦皇岛市计量所");
    }
  g_assert_true (cb_store_begin (fixture->store, NULL));
  add_customer (fixture->store, "不会保存");
  cb_store_rollback (fixture->store);
  add_customer (other, "邯郸市计量所");
  add_customer (fixture->store, "邢台市计量所");

  g_assert_true (cb_store_audit_verify (fixture->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2 * 14);
  g_assert_true (cb_store_audit_verify_rows (other, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/schema", test_schema);
  ADD ("/store/schema/newer-refused", test_newer_schema_refused);
  ADD ("/store/pragmas", test_pragmas);
  ADD ("/store/audit/insert", test_insert_is_audited);
  ADD ("/store/audit/update-needs-reason", test_update_needs_reason);
  ADD ("/store/audit/void-keeps-row", test_void_keeps_row);
  ADD ("/store/bad-names", test_bad_names);
  ADD ("/store/audit/append-only", test_audit_append_only);
  ADD ("/store/audit/tampered-entry", test_tampered_audit_row);
  ADD ("/store/audit/tampered-row", test_tampered_data_row);
  ADD ("/store/transaction-rollback", test_transaction_rollback);
  ADD ("/store/audit/two-connections", test_two_connections);
#undef ADD

  return g_test_run ();
}
