/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-audit.h"

/* A writer killed with SIGKILL at varied points: every write it had
 * acknowledged is there afterwards, the file is sound and the audit chain
 * verifies. */

static G_NORETURN void
run_writer (const char *path,
            int         ack_fd)
{
  g_autoptr(CbStore) store = cb_store_open (path, NULL);

  if (store == NULL)
    _exit (3);
  cb_store_set_actor (store, "writer", "bench-kill");
  for (guint i = 0;; i++)
    {
      g_autofree char *name = g_strdup_printf ("客户 %u", i);
      const char *fields[] = { "name", "phone" };
      const char *values[] = { name, "0311-0000000" };
      gint64 row = cb_store_insert (store, "customers", fields, values, 2, NULL, NULL);

      if (row <= 0)
        _exit (4);
      /* Acknowledged only now, after COMMIT returned. */
      if (write (ack_fd, &row, sizeof row) != sizeof row)
        _exit (5);
    }
}

static void
check_database (const char *path,
                GArray     *acknowledged)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* Integrity first, on a plain connection. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  store = cb_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      gint64 row = g_array_index (acknowledged, gint64, i);
      g_autofree char *phone = cb_store_get_field (store, "customers", row, "phone", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (phone, ==, "0311-0000000");
    }
  g_assert_true (cb_store_audit_verify (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify_rows (store, &error));
  g_assert_no_error (error);
}

static void
test_kill_writer (void)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "lab.db", NULL);
  g_autoptr(GArray) acknowledged = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint rounds = g_test_slow () ? 60 : 15;

  for (guint round = 0; round < rounds; round++)
    {
      /* Kill after a varied number of acknowledged writes, so the signal
       * lands at a different point of a transaction each time. */
      guint target = g_test_rand_int_range (1, 40);
      int fds[2];
      gint64 row;
      pid_t pid;
      int status;
      guint seen = 0;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          run_writer (path, fds[1]);
        }
      close (fds[1]);

      while (seen < target && read (fds[0], &row, sizeof row) == sizeof row)
        {
          g_array_append_val (acknowledged, row);
          seen++;
        }
      g_assert_cmpuint (seen, ==, target);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      /* Acknowledgements written before the kill still count. */
      while (read (fds[0], &row, sizeof row) == sizeof row)
        g_array_append_val (acknowledged, row);
      close (fds[0]);

      check_database (path, acknowledged);
    }

  store_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/crash/kill-writer", test_kill_writer);

  return g_test_run ();
}
