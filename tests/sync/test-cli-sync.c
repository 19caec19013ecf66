/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "server/server-test-util.h"

static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;
  va_list ap;

  g_ptr_array_add (args, (gpointer) CALBENCH_CLI);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

/* calbench-cli sync does from the shell what the bench does. */
static void
test_cli_sync (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password_file = NULL, *wrong_file = NULL, *db = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *fields[] = { "name" };
  CbStore *bench, *server;

  test_lab_spawn (lab);
  bench = test_lab_open_bench (lab, "bench-cli");
  db = g_strdup (cb_store_get_path (bench));
  g_assert_cmpint (cb_store_insert (bench, "customers", fields, (const char *[]) { "命令行客户" }, 1, NULL, &error), >, 0);
  cb_store_close (bench);
  password_file = g_build_filename (lab->dir, "password", NULL);
  wrong_file = g_build_filename (lab->dir, "wrong", NULL);
  g_assert_true (g_file_set_contents (password_file, "pw-zhang.wei\n", -1, NULL));
  g_assert_true (g_file_set_contents (wrong_file, "nope\n", -1, NULL));

  g_assert_cmpint (run_cli (&out, &err, "sync", "--db", db, "--server", lab->url, "--login", "zhang.wei",
                            "--password-file", wrong_file, "--ca-file", lab->config->tls_certificate,
                            "--workstation", "bench-cli", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "401"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "sync", "--db", db, "--server", lab->url, "--login", "zhang.wei",
                            "--password-file", password_file, "--ca-file", lab->config->tls_certificate,
                            "--workstation", "bench-cli", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"state\" : \"synced\""));
  g_assert_nonnull (strstr (out, "\"pushed\" : 1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Without the lab's certificate the server is not trusted. */
  g_assert_cmpint (run_cli (&out, &err, "sync", "--db", db, "--server", lab->url, "--login", "zhang.wei",
                            "--password-file", password_file, "--workstation", "bench-cli", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "sync", "--db", db, "--server", "http://127.0.0.1:1", "--token", "x", NULL), ==, 2);

  test_lab_kill (lab);
  server = cb_store_open (lab->config->database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers WHERE name = '命令行客户'"), ==, 1);
  /* The run's token was given back. */
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM sync_tokens WHERE revoked IS NULL"), ==, 0);
  cb_store_close (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/cli", test_cli_sync);

  return g_test_run ();
}
