/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sqlite3.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-audit.h"
#include "store/cb-store-demo.h"
#include "store/cb-store-private.h"
#include "store/cb-store-records.h"
#include "store/cb-store-samples.h"
#include "store/cb-store-staff.h"
#include "store/cb-store-tasks.h"

/* The demo laboratory fills every table of the schema, in every state,
 * through the audited store. */

static gint64
count (CbStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
assert_states (CbStore            *store,
               const char         *table,
               const char         *column,
               const char * const *states)
{
  for (guint i = 0; states[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s WHERE %s = '%s'", table, column, states[i]);

      if (count (store, sql) == 0)
        g_error ("the demo has no %s in state %s", table, states[i]);
    }
}

static void
test_every_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  CbStore *store = cb_store_open (path, &error);
  sqlite3_stmt *stmt = NULL;
  gint64 n_entries = 0;

  g_assert_no_error (error);
  g_assert_true (cb_store_demo_populate (store, &error));
  g_assert_no_error (error);

  /* Every table of the schema has rows; nobody has logged in or synced yet. */
  sqlite3_prepare_v2 (store->db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >=, 34);
  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", table);

      /* Sync fills its tables once a bench talks to a server. */
      if (g_str_equal (table, "login_log") || g_str_has_prefix (table, "sync_"))
        continue;
      if (count (store, sql) <= 0)
        g_error ("the demo leaves table %s empty", table);
    }

  /* In every state. */
  assert_states (store, "tasks", "state", (const char *[]) {
    "to-measure", "measuring", "to-check", "to-approve", "returned", "approved", "cancelled", NULL });
  assert_states (store, "records", "state", (const char *[]) {
    "draft", "performed", "checked", "approved", "returned", NULL });
  assert_states (store, "delay_requests", "state", (const char *[]) { "requested", "approved", "refused", NULL });
  assert_states (store, "template_versions", "state", (const char *[]) {
    "draft", "submitted", "approved", "retired", NULL });
  assert_states (store, "quotations", "state", (const char *[]) { "draft", "reviewed", "approved", "rejected", NULL });
  assert_states (store, "standards", "status", (const char *[]) { "in-service", "out-of-service", "under-repair", NULL });
  assert_states (store, "samples", "state", (const char *[]) {
    "waiting", "in-measurement", "handed-over", NULL });
  assert_states (store, "methods", "status", (const char *[]) { "current", "superseded", NULL });
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM tasks WHERE due < date('now')"
                                 " AND state NOT IN ('approved', 'cancelled')"), >, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM complaints WHERE closed IS NULL"), >, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM complaints WHERE closed IS NOT NULL"), >, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM signatures WHERE voided = 1"), >, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM external_certificates WHERE scan IS NOT NULL"), >, 0);

  /* A year of environment readings in each room, every 4 hours. */
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT room) FROM environment_log"), ==, 3);
  g_assert_cmpint (count (store, "SELECT julianday (MAX (measured_at)) - julianday (MIN (measured_at)) FROM environment_log"),
                   >=, 364);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM environment_log WHERE room = '电学室'"), >=, 365 * 6);

  /* Photos keep their digest; the home screen has something to show. */
  {
    gint64 photo = count (store, "SELECT MIN (id) FROM sample_photos");
    gint64 metrologist = cb_store_staff_find (store, "zhang.wei", NULL);
    gint64 checker = cb_store_staff_find (store, "sun.li", NULL);
    CbMyTasks mine = { 0 }, checks = { 0 };

    g_assert_true (cb_store_sample_photo_verify (store, photo, &error));
    g_assert_no_error (error);
    g_assert_true (cb_store_my_tasks (store, metrologist, NULL, &mine, &error));
    g_assert_true (cb_store_my_tasks (store, checker, NULL, &checks, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (mine.to_measure + mine.returned + mine.overdue, >, 0);
    g_assert_cmpuint (checks.to_check, >, 0);
  }

  /* Every record recomputes to what was stored, and a shipped template's
   * record comes back through the engine with its conclusion. */
  {
    g_autoptr(CbRecord) record = NULL;
    gint64 gauge;
    sqlite3_stmt *ids = NULL;
    guint n_records = 0;

    g_assert_cmpint (sqlite3_prepare_v2 (store->db, "SELECT id FROM records WHERE results IS NOT NULL", -1, &ids, NULL),
                     ==, SQLITE_OK);
    while (sqlite3_step (ids) == SQLITE_ROW)
      {
        g_assert_true (cb_store_record_verify (store, sqlite3_column_int64 (ids, 0), &error));
        g_assert_no_error (error);
        n_records++;
      }
    sqlite3_finalize (ids);
    g_assert_cmpuint (n_records, >, 50);

    gauge = count (store, "SELECT MIN (r.id) FROM records r JOIN template_versions v ON v.id = r.template_version_id"
                          " WHERE v.document LIKE '%jjg52-2013-pressure-gauge%'");
    record = cb_store_record_load (store, gauge, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cb_record_get_conclusion (record, NULL), !=, CB_CONCLUSION_INCOMPLETE);
    g_assert_cmpuint (cb_record_get_n_points (record, 0), ==, 6);
    g_assert_cmpint (count (store, "SELECT COUNT(*) FROM readings WHERE cell LIKE 'indication/6/%'"), >, 0);
  }

  /* Everything went through the audit trail. */
  g_assert_true (cb_store_audit_verify (store, &n_entries, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify_rows (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, >, 10000);

  cb_store_close (store);
  store_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/demo/every-table", test_every_table);

  return g_test_run ();
}

