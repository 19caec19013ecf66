/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cli-runner.h"

static void
run_cli (Run        *run,
         const char *command,
         const char *first_arg,
         ...)
{
  va_list args;

  va_start (args, first_arg);
  run_cli_v (run, command, first_arg, args);
  va_end (args);
}

/* keys init, certificate issue of an approved record, verify with the
 * store, a replacement that supersedes it, and the bad inputs. */
static void
test_issue_and_verify (void)
{
  g_autofree char *dir = g_dir_make_tmp ("calbench-cli-certificate-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "lab.db", NULL);
  g_autofree char *keys = g_build_filename (dir, "keys", NULL);
  g_autofree char *first = g_build_filename (dir, "first.pdf", NULL);
  g_autofree char *second = g_build_filename (dir, "second.pdf", NULL);
  g_autofree char *draft = g_build_filename (dir, "draft.pdf", NULL);
  g_autofree char *record = NULL;
  g_autofree char *first_id = NULL;
  g_auto(Run) run = { 0 };
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *at;

  run_cli (&run, "demo", "init", "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT r.id FROM records r JOIN template_versions v"
                                               " ON v.id = r.template_version_id WHERE r.state = 'approved'"
                                               " AND v.document LIKE '%jjg52-2013%' ORDER BY r.id LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  record = g_strdup_printf ("%lld", (long long) sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  run_cli (&run, "keys", "init", "--dir", keys, NULL);
  g_assert_cmpint (run.status, ==, 0);

  run_cli (&run, "certificate", "render", "--db", db, "--record", record, "-o", draft, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (draft, G_FILE_TEST_IS_REGULAR));
  run_cli (&run, "certificate", "verify", draft, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "not signed"));

  run_cli (&run, "certificate", "issue", "--db", db, "--record", record, "--keys", keys, "-o", first, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "JD"));
  at = strstr (run.out, "(id ");
  g_assert_nonnull (at);
  first_id = g_strndup (at + 4, strcspn (at + 4, ")"));
  run_cli (&run, "certificate", "verify", first, "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Status: issued"));

  /* An issued certificate by its id: the very file that was issued. */
  {
    g_autofree char *again = g_build_filename (dir, "again.pdf", NULL);
    g_autofree char *a = NULL, *b = NULL;
    gsize a_length = 0, b_length = 0;

    run_cli (&run, "certificate", "render", "--db", db, "--id", first_id, "-o", again, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (first, &a, &a_length, NULL));
    g_assert_true (g_file_get_contents (again, &b, &b_length, NULL));
    g_assert_cmpmem (a, a_length, b, b_length);
    run_cli (&run, "certificate", "render", "--db", db, "--id", "999999", "-o", again, NULL);
    g_assert_cmpint (run.status, ==, 2);
  }

  /* The same certificate as a DCC. */
  {
    g_autofree char *xml_path = g_build_filename (dir, "first.xml", NULL);
    g_autofree char *xml = NULL;

    run_cli (&run, "certificate", "dcc", "--db", db, "--id", first_id, "-o", xml_path, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (xml_path, &xml, NULL, NULL));
    g_assert_nonnull (strstr (xml, "<dcc:digitalCalibrationCertificate"));
    g_assert_nonnull (strstr (xml, "schemaVersion=\"3.1.2\""));
    run_cli (&run, "certificate", "dcc", "--db", db, "--id", "999999", NULL);
    g_assert_cmpint (run.status, ==, 2);
    run_cli (&run, "certificate", "dcc", "--db", db, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--id"));
  }

  run_cli (&run, "certificate", "issue", "--db", db, "--record", record, "--keys", keys, "--kind", "replacement",
           "--of", first_id, "-o", second, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, "certificate", "verify", first, "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "superseded"));
  run_cli (&run, "certificate", "verify", second, "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 0);

  /* Bad inputs name what is wrong. */
  run_cli (&run, "certificate", "issue", "--db", db, "--record", record, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--keys"));
  run_cli (&run, "certificate", "issue", "--db", db, "--record", "999999", "--keys", keys, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "certificate", "issue", "--db", db, "--record", record, "--keys", keys, "--kind", "copy", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--kind"));

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (command), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/certificate/issue-and-verify", test_issue_and_verify);

  return g_test_run ();
}
