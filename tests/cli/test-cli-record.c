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

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("calbench-cli-record-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_validate (void)
{
  g_autofree char *good = g_build_filename (TEMPLATE_DIR, "jjg52-2013-pressure-gauge.json", NULL);
  g_autofree char *bad = write_temp ("bad.json", "{\"format\": \"calbench-template/1\", \"id\": \"x\"}");
  g_auto(Run) run = { 0 };

  run_cli (&run, "template", "validate", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "JJG 52-2013"));
  g_assert_nonnull (strstr (run.out, "digest"));

  run_cli (&run, "template", "validate", bad, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "'title' is missing"));
  remove_temp (bad);

  run_cli (&run, "template", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_compute (void)
{
  g_autofree char *tmpl = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autofree char *data = write_temp ("dmm.json",
    "{\"inputs\": {\"temperature\": \"20.3\"},"
    " \"values\": {\"dcv/3/r/1\": \"10.00002\", \"dcv/3/r/2\": \"10.00003\", \"dcv/3/r/3\": \"10.00001\","
    "  \"dcv/3/r/4\": \"10.00002\", \"dcv/3/r/5\": \"10.00004\", \"dcv/3/r/6\": \"10.00002\","
    "  \"dcv/3/r/7\": \"10.00003\", \"dcv/3/r/8\": \"10.00001\", \"dcv/3/r/9\": \"10.00002\","
    "  \"dcv/3/r/10\": \"10.00000\"}}");
  g_autofree char *wrong = write_temp ("wrong.json", "{\"values\": {\"dcv/9/r/1\": \"1\"}}");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) root = NULL;
  JsonObject *point;
  JsonObject *cells;

  run_cli (&run, "record", "compute", "--template", tmpl, "--data", data, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  point = json_array_get_object_element (json_object_get_array_member (
            json_object_get_object_member (root, "blocks"), "dcv"), 2);
  cells = json_object_get_object_member (point, "cells");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cells, "U"), "text"), ==, "0.00011");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cells, "e"), "text"), ==, "0.00002");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (point, "checks"), "spec"), "decision"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "conclusion"), "state"),
                   ==, "incomplete");

  run_cli (&run, "record", "compute", "--template", tmpl, "--data", data, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "U 0.00011"));
  g_assert_nonnull (strstr (run.out, "not decided yet"));

  run_cli (&run, "record", "compute", "--template", tmpl, "--data", wrong, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "dcv/9/r/1"));

  run_cli (&run, "record", "compute", "--template", tmpl, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--data"));
  remove_temp (data);
  remove_temp (wrong);
}

/* Doubles such as 1e-08 come out as JSON that parses. */
static void
test_json_exponents (void)
{
  g_autofree char *budget = write_temp ("small.json",
    "{\"inputs\": {\"a\": {\"value\": 1e-8, \"u\": 2e-9}, \"b\": {\"value\": 3, \"u\": 0.1}},"
    " \"outputs\": {\"y\": \"a*b\"}}");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) root = NULL;

  run_cli (&run, "uncertainty", budget, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "e-08.0"));
  root = parse_json (run.out);
  g_assert_nonnull (root);
  remove_temp (budget);
}

/* Stored records recompute to their results; a result changed behind the
 * store's back is found and named. */
static void
test_verify (void)
{
  g_autofree char *dir = g_dir_make_tmp ("calbench-cli-verify-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "lab.db", NULL);
  g_auto(Run) run = { 0 };
  sqlite3 *handle = NULL;

  run_cli (&run, "demo", "init", "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, "record", "verify", "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "records recompute to their stored results"));

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "UPDATE records SET results = replace (results, '\"text\":\"合格', '\"text\":\"不合格')"
                                 " WHERE id = (SELECT MIN (id) FROM records WHERE results LIKE '%\"text\":\"合格%')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (handle), ==, 1);
  sqlite3_close (handle);

  run_cli (&run, "record", "verify", "--db", db, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "conclusion.text"));
  g_assert_nonnull (strstr (run.out, "1 of"));

  run_cli (&run, "record", "verify", "--db", db, "--record", "999999", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no record 999999"));

  /* Templates in and out of the store. */
  {
    g_autofree char *gauge = g_build_filename (TEMPLATE_DIR, "jjg52-2013-pressure-gauge.json", NULL);
    g_autofree char *methane = g_build_filename (TEMPLATE_DIR, "jjg678-2007-methane-detector.json", NULL);
    g_autofree char *exported = g_build_filename (dir, "exported.json", NULL);
    g_autofree char *version = NULL;
    const char *at;

    run_cli (&run, "template", "import", "--db", db, "--author", "zhang.wei", gauge, NULL);
    g_assert_cmpint (run.status, ==, 0);
    at = strstr (run.out, "(id ");
    g_assert_nonnull (at);
    version = g_strndup (at + 4, strcspn (at + 4, ")"));

    run_cli (&run, "template", "export", "--db", db, "--version", version, "-o", exported, NULL);
    g_assert_cmpint (run.status, ==, 0);
    run_cli (&run, "template", "validate", exported, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "jjg52-2013-pressure-gauge"));
    g_unlink (exported);

    run_cli (&run, "template", "import", "--db", db, "--author", "zhang.wei", methane, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "no current method JJG 678-2007"));
    run_cli (&run, "template", "import", "--db", db, "--author", "nobody", gauge, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "'nobody'"));
  }

  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/template/validate", test_validate);
  g_test_add_func ("/cli/record/compute", test_compute);
  g_test_add_func ("/cli/json/exponents", test_json_exponents);
  g_test_add_func ("/cli/record/verify", test_verify);

  return g_test_run ();
}
