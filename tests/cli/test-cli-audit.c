/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cli-runner.h"
#include "store/cb-store.h"

/* End-to-end tests of `calbench-cli audit` on a real lab database. */

static void
run_audit (Run        *run,
           const char *first_arg,
           ...)
{
  va_list args;

  va_start (args, first_arg);
  run_cli_v (run, "audit", first_arg, args);
  va_end (args);
}

static char *
make_database (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  const char *fields[] = { "name", "phone" };
  const char *values[] = { "秦皇岛市计量所", "0335-1234567" };
  char *path;

  *dir = g_dir_make_tmp ("calbench-cli-audit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "lab.db", NULL);
  store = cb_store_open (path, &error);
  g_assert_no_error (error);
  cb_store_set_actor (store, "li.na", "reception-1");
  g_assert_cmpint (cb_store_insert (store, "customers", fields, values, 2, NULL, &error), ==, 1);
  g_assert_true (cb_store_update (store, "customers", 1, "phone", "0335-7654321", "客户来电更正", &error));
  g_assert_no_error (error);
  return path;
}

static void
remove_database (char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

static void
test_verify (void)
{
  char *dir = NULL;
  g_autofree char *path = make_database (&dir);
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;
  sqlite3 *db = NULL;

  run_audit (&run, "verify", "--db", path, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_true (json_object_get_boolean_member (object, "valid"));
  g_assert_cmpint (json_object_get_int_member (object, "entries"), ==, 3);

  /* A field edited with sqlite3 behind the store's back is named. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE customers SET phone = '110' WHERE id = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  run_audit (&run, "verify", "--db", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "customers row 1, field phone"));

  remove_database (dir);
}

static void
test_show (void)
{
  char *dir = NULL;
  g_autofree char *path = make_database (&dir);
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *history;
  JsonObject *last;

  run_audit (&run, "show", "--db", path, "--table", "customers", "--row", "1", "--field", "phone", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
  history = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  last = json_array_get_object_element (history, 1);
  g_assert_cmpstr (json_object_get_string_member (last, "old"), ==, "0335-1234567");
  g_assert_cmpstr (json_object_get_string_member (last, "new"), ==, "0335-7654321");
  g_assert_cmpstr (json_object_get_string_member (last, "reason"), ==, "客户来电更正");
  g_assert_cmpstr (json_object_get_string_member (last, "actor"), ==, "li.na");

  /* The readable history strikes the old value through. */
  run_audit (&run, "show", "--db", path, "--table", "customers", "--row", "1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "0\u03363\u03363\u03365\u0336"));
  g_assert_nonnull (strstr (run.out, "→ 0335-7654321"));

  remove_database (dir);
}

static void
test_bad_input (void)
{
  g_auto(Run) run = { 0 };

  run_audit (&run, "verify", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--db"));

  run_audit (&run, "verify", "--db", "/nonexistent/lab.db", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "/nonexistent/lab.db"));
  g_assert_false (g_file_test ("/nonexistent/lab.db", G_FILE_TEST_EXISTS));

  run_audit (&run, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "verify"));
}

static gint64
count (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
run_demo (Run        *run,
          const char *first_arg,
          ...)
{
  va_list args;

  va_start (args, first_arg);
  run_cli_v (run, "demo", first_arg, args);
  va_end (args);
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("calbench-cli-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_auto(Run) run = { 0 };

  g_assert_no_error (error);
  run_demo (&run, "init", "--db", path, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "calbench-demo"));

  /* A believable lab, in every state. */
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM staff"), ==, 10);
  g_assert_cmpint (count (path, "SELECT COUNT(DISTINCT role) FROM staff_roles"), ==, 5);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM customers"), ==, 30);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM ledger"), ==, 300);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM standards"), ==, 40);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM standards WHERE status = 'out-of-service'"), ==, 1);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM standards WHERE valid_until < date('now')"), ==, 1);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM methods WHERE code = 'JJG 52-2013' AND status = 'current'"), ==, 1);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM methods WHERE code = 'JJF 1587-2016'"), ==, 1);
  g_assert_cmpint (count (path, "SELECT COUNT(DISTINCT status) FROM certificates"), ==, 4);
  g_assert_cmpint (count (path, "SELECT COUNT(*) FROM certificates WHERE kind = 'replacement'"), >, 0);
  g_assert_cmpint (count (path, "SELECT julianday('now') - julianday(MIN(received)) FROM orders"), >=, 360);

  /* Every row went through the audit trail. */
  run_audit (&run, "verify", "--db", path, NULL);
  g_assert_cmpint (run.status, ==, 0);

  /* An existing file is never overwritten. */
  run_demo (&run, "init", "--db", path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "exists"));

  remove_database (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/audit/verify", test_verify);
  g_test_add_func ("/cli/audit/show", test_show);
  g_test_add_func ("/cli/audit/bad-input", test_bad_input);
  g_test_add_func ("/cli/demo", test_demo);

  return g_test_run ();
}
