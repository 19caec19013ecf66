/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdio.h>

#include "server/server-test-util.h"
#include "store/cb-store-sync.h"

/* Sync push throughput: a bench's changes pushed over TLS on loopback to
 * the real calbench-server (its own process), against writing the same rows
 * straight into a local SQLite file through the same store; then 20 benches
 * pushing at once.  Medians of runs are not needed: each figure is one long
 * run of thousands of changes. */

#define ROWS         5000
#define BENCHES      20
#define BENCH_ROWS   500

static void
add_rows (CbStore    *store,
          const char *prefix,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "name", "phone" };

  g_assert_true (cb_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, i);
      const char *values[] = { name, "0311-1234567" };

      g_assert_cmpint (cb_store_insert (store, "customers", fields, values, 2, NULL, &error), >, 0);
    }
  g_assert_true (cb_store_commit (store, &error));
}

/* Only the push is timed: the pull cursor is set past the server's chain. */
static void
skip_pull (CbStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_store_sync_state_set (store, CB_SYNC_PEER_SERVER, 0, G_MAXINT64 / 2, &error));
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint *remaining = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_sync_client_sync_finish (CB_SYNC_CLIENT (source), result, NULL, &error));
  g_assert_no_error (error);
  (*remaining)--;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TestLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autofree char *local_path = NULL;
  CbStore *local, *bench;
  CbStore *benches[BENCHES];
  CbSyncClient *clients[BENCHES];
  gint64 start;
  double local_rate, push_rate, many_rate, local_s, push_s, many_s;
  guint remaining = BENCHES;

  g_test_init (&argc, &argv, NULL);
  lab = test_lab_new ();
  lab->config->max_body = 16 * 1024 * 1024;
  test_lab_save_config (lab);
  test_lab_spawn (lab);

  /* The same rows, straight into a local file. */
  local_path = g_build_filename (lab->dir, "local.db", NULL);
  local = cb_store_open (local_path, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  add_rows (local, "row", ROWS);
  local_s = (g_get_monotonic_time () - start) / 1e6;
  local_rate = 2.0 * ROWS / local_s;
  cb_store_close (local);

  /* One bench pushing them. */
  bench = test_lab_open_bench (lab, "bench-one");
  add_rows (bench, "row", ROWS);
  skip_pull (bench);
  client = test_client_new (lab, bench, "zhang.wei");
  cb_sync_client_set_batch_size (client, 500);
  start = g_get_monotonic_time ();
  g_assert_true (test_sync (client, NULL, &error));
  g_assert_no_error (error);
  push_s = (g_get_monotonic_time () - start) / 1e6;
  push_rate = 2.0 * ROWS / push_s;
  g_assert_cmpint (cb_sync_client_get_pending (client), ==, 0);

  /* Twenty benches at once. */
  for (guint i = 0; i < BENCHES; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%02u", i);

      benches[i] = test_lab_open_bench (lab, name);
      add_rows (benches[i], name, BENCH_ROWS);
      skip_pull (benches[i]);
      clients[i] = test_client_new (lab, benches[i], "zhang.wei");
      cb_sync_client_set_batch_size (clients[i], 500);
    }
  start = g_get_monotonic_time ();
  for (guint i = 0; i < BENCHES; i++)
    cb_sync_client_sync_async (clients[i], NULL, on_synced, &remaining);
  while (remaining > 0)
    g_main_context_iteration (NULL, TRUE);
  many_s = (g_get_monotonic_time () - start) / 1e6;
  many_rate = 2.0 * BENCHES * BENCH_ROWS / many_s;

  printf ("local SQLite, %d rows (%d audited changes) in one transaction: %.3f s, %.0f changes/s\n",
          ROWS, 2 * ROWS, local_s, local_rate);
  printf ("sync push over TLS on loopback, batches of 500: %.3f s, %.0f changes/s\n", push_s, push_rate);
  printf ("ratio local/push: %.1f\n", local_rate / push_rate);
  printf ("%d benches pushing %d changes each at once: %.3f s, %.0f changes/s in all\n",
          BENCHES, 2 * BENCH_ROWS, many_s, many_rate);

  for (guint i = 0; i < BENCHES; i++)
    {
      g_object_unref (clients[i]);
      cb_store_close (benches[i]);
    }
  g_clear_object (&client);
  cb_store_close (bench);
  test_lab_kill (lab);
  {
    CbStore *server = cb_store_open (lab->config->database, &error);

    g_assert_no_error (error);
    g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers"), ==, ROWS + BENCHES * BENCH_ROWS);
    cb_store_close (server);
  }
  return 0;
}
