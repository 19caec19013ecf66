/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sqlite3.h>

#include "store/cb-store.h"
#include "store/cb-store-audit.h"
#include "store/cb-store-private.h"
#include "store/cb-store-staff.h"
#include "store/cb-store-sync.h"
#include "store-test-util.h"

/* A file at schema version 2, with lab data and a chain, migrates to the
 * sync tables and keeps its chain. */
static void
test_migration_from_version_2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "v2.db", NULL);
  g_autoptr(CbStore) store = NULL;
  guint n_migrations;
  const char * const *migrations = cb_store_schema_migrations (&n_migrations);
  gint64 acked = -1, pulled = -1, n = 0;
  sqlite3 *db = NULL;

  g_assert_cmpuint (n_migrations, >=, 3);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, migrations[1], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Data written at version 2 by this build's store would already be at 3;
   * so the chain is written after opening, then the file reopened. */
  store = cb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_get_schema_version (store), ==, cb_store_current_schema ());
  g_assert_cmpint (cb_store_staff_add (store, "li.na", "李娜", NULL, &error), >, 0);
  g_assert_true (cb_store_sync_state_get (store, CB_SYNC_PEER_SERVER, &acked, &pulled, &error));
  g_assert_cmpint (acked, ==, 0);
  g_assert_cmpint (pulled, ==, 0);
  g_clear_pointer (&store, cb_store_close);

  store = cb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify (store, &n, &error));
  g_assert_cmpint (n, >, 0);
  g_assert_true (cb_store_audit_verify_rows (store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, cb_store_close);
  store_test_remove_dir (dir);
}

/* A failed write inside a savepoint undoes only itself. */
static void
test_savepoint (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "lab.db", NULL);
  g_autoptr(CbStore) store = cb_store_open (path, &error);
  const char *fields[] = { "login", "name" };
  const char *values[] = { "a.one", "again" };
  gint64 n = 0;

  g_assert_no_error (error);
  g_assert_true (cb_store_begin (store, &error));
  g_assert_cmpint (cb_store_staff_add (store, "a.one", "A", NULL, &error), >, 0);
  g_assert_true (cb_store_savepoint (store, &error));
  g_assert_cmpint (cb_store_insert (store, "staff", fields, values, 2, NULL, &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (cb_store_savepoint_end (store, FALSE, &error));
  g_assert_true (cb_store_savepoint (store, &error));
  g_assert_cmpint (cb_store_staff_add (store, "b.two", "B", NULL, &error), >, 0);
  g_assert_true (cb_store_savepoint_end (store, TRUE, &error));
  g_assert_true (cb_store_commit (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cb_store_staff_find (store, "a.one", NULL), >, 0);
  g_assert_cmpint (cb_store_staff_find (store, "b.two", NULL), >, 0);
  g_assert_true (cb_store_audit_verify (store, &n, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, cb_store_close);
  store_test_remove_dir (dir);
}

static void
test_bookkeeping (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "lab.db", NULL);
  g_autoptr(CbStore) store = cb_store_open (path, &error);
  g_autoptr(GPtrArray) unreported = NULL;
  g_autoptr(CbSyncReceived) received = NULL;
  g_autoptr(CbSyncConflict) stored = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *name = NULL;
  CbSyncConflict conflict = { 0 };
  gint64 staff, last = -1, conflict_id;

  g_assert_no_error (error);
  staff = cb_store_staff_add (store, "wang.fang", "王芳", NULL, &error);
  g_assert_cmpint (staff, >, 0);

  g_assert_true (cb_store_sync_row_map (store, "bench-1", "staff", 7, staff, FALSE, &error));
  g_assert_cmpint (cb_store_sync_row_lookup (store, "bench-1", "staff", 7, &error), ==, staff);
  g_assert_cmpint (cb_store_sync_row_reverse (store, "bench-1", "staff", staff, &error), ==, 7);
  g_assert_cmpint (cb_store_sync_row_lookup (store, "bench-2", "staff", 7, &error), ==, 0);
  g_assert_true (cb_store_sync_row_map (store, "bench-1", "staff", 8, staff + 100, FALSE, &error));
  /* A batch at a time: only those sent are marked. */
  unreported = cb_store_sync_rows_unreported (store, "bench-1", 1, &error);
  g_assert_cmpuint (unreported->len, ==, 1);
  g_assert_true (cb_store_sync_rows_reported (store, "bench-1", unreported, &error));
  g_clear_pointer (&unreported, g_ptr_array_unref);
  unreported = cb_store_sync_rows_unreported (store, "bench-1", 10, &error);
  g_assert_cmpuint (unreported->len, ==, 1);
  g_assert_true (cb_store_sync_rows_reported (store, "bench-1", unreported, &error));
  g_clear_pointer (&unreported, g_ptr_array_unref);
  unreported = cb_store_sync_rows_unreported (store, "bench-1", 10, &error);
  g_assert_cmpuint (unreported->len, ==, 0);

  reference = cb_store_sync_reference (store, "staff_roles", "staff_id");
  g_assert_cmpstr (reference, ==, "staff");
  g_assert_null (cb_store_sync_reference (store, "staff", "name"));

  g_assert_false (cb_store_sync_bench_get (store, "bench-1", &last, &hash, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_sync_bench_set (store, "bench-1", 12, "ab", &error));
  g_assert_true (cb_store_sync_bench_get (store, "bench-1", &last, &hash, &error));
  g_assert_cmpint (last, ==, 12);
  g_assert_true (cb_store_sync_received_add (store, "bench-1", 12, "ab", "2026-01-01T00:00:00Z", "wang.fang",
                                             "applied", 40, 3, NULL, &error));
  received = cb_store_sync_received_get (store, "bench-1", 12, &error);
  g_assert_nonnull (received);
  g_assert_cmpint (received->server_seq, ==, 40);
  g_assert_cmpint (received->server_row, ==, 3);
  /* A change is kept once. */
  g_assert_false (cb_store_sync_received_add (store, "bench-1", 12, "ab", "2026-01-01T00:00:00Z", "wang.fang",
                                              "applied", 41, 3, NULL, &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (cb_store_sync_token_add (store, "t1", staff, "bench-1", "2030-01-01T00:00:00Z", &error));
  g_assert_cmpint (cb_store_sync_token_check (store, "t1", "2029-01-01T00:00:00Z", &ws, &error), ==, staff);
  g_assert_cmpstr (ws, ==, "bench-1");
  g_assert_cmpint (cb_store_sync_token_check (store, "t1", "2031-01-01T00:00:00Z", NULL, &error), ==, 0);
  g_assert_true (cb_store_sync_token_revoke (store, "t1", &error));
  g_assert_cmpint (cb_store_sync_token_check (store, "t1", "2029-01-01T00:00:00Z", NULL, &error), ==, 0);

  /* A conflict keeps both versions until resolved with a reason. */
  conflict.table = (char *) "staff";
  conflict.row_id = staff;
  conflict.field = (char *) "name";
  conflict.server_value = (char *) "王芳";
  conflict.bench_value = (char *) "王 芳";
  conflict.workstation = (char *) "bench-1";
  conflict.change_seq = 13;
  conflict.actor = (char *) "wang.fang";
  conflict_id = cb_store_sync_conflict_add (store, &conflict, &error);
  g_assert_cmpint (conflict_id, >, 0);
  g_assert_false (cb_store_sync_conflict_resolve (store, conflict_id, "bench", "admin", "  ", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cb_store_sync_conflict_resolve (store, conflict_id, "bench", "admin", "身份证上的写法", &error));
  g_assert_no_error (error);
  name = cb_store_get_field (store, "staff", staff, "name", &error);
  g_assert_cmpstr (name, ==, "王 芳");
  stored = cb_store_sync_conflict_get (store, conflict_id, &error);
  g_assert_cmpstr (stored->state, ==, "resolved");
  g_assert_false (cb_store_sync_conflict_resolve (store, conflict_id, "server", "admin", "again", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE);
  g_clear_error (&error);

  g_assert_true (cb_store_audit_verify_rows (store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, cb_store_close);
  store_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/migration/from-version-2", test_migration_from_version_2);
  g_test_add_func ("/store/savepoint", test_savepoint);
  g_test_add_func ("/store/sync/bookkeeping", test_bookkeeping);

  return g_test_run ();
}
