/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/cb-store.h"
#include "store/cb-store-find.h"
#include "store/cb-store-private.h"

/*
 * The lab store at scale: lookups in a file of 1,000,000 certificates (and
 * as many samples, tasks and records), and audited writes per second with
 * synchronous=FULL, one transaction per write and batched.  The bulk rows are
 * loaded with plain SQL: this measures the indexes, not the loading.
 */

#define N_ROWS 1000000
#define N_CUSTOMERS 3000
#define N_LOOKUPS 2000

static void
bulk_load (CbStore *store)
{
  sqlite3 *db = store->db;
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Outside the transaction: the pragma is a no-op inside one. */
  g_assert_true (cb_store_exec (store, "PRAGMA foreign_keys = OFF", NULL));
  g_assert_true (cb_store_exec (store, "BEGIN", NULL));

  sqlite3_prepare_v2 (db, "INSERT INTO customers (id, name) VALUES (?1, '客户')", -1, &stmt, NULL);
  for (int i = 1; i <= N_CUSTOMERS; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  /* One order per ten samples, one task and record per sample. */
  sqlite3_prepare_v2 (db, "INSERT INTO orders (id, number, customer_id, received) VALUES (?1, 'WT' || ?1, ?2, '2026-01-01')", -1, &stmt, NULL);
  for (int i = 1; i <= N_ROWS / 10; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_int (stmt, 2, 1 + i % N_CUSTOMERS);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT INTO samples (id, label, order_id, name, serial) VALUES (?1, 'S' || ?1, ?2, '压力表', 'SN' || (?1 % 200000))", -1, &stmt, NULL);
  for (int i = 1; i <= N_ROWS; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_int (stmt, 2, 1 + (i - 1) / 10);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT INTO tasks (id, sample_id, item) VALUES (?1, ?1, '一般压力表')", -1, &stmt, NULL);
  for (int i = 1; i <= N_ROWS; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT INTO records (id, template_version_id, task_id) VALUES (?1, 1, ?1)", -1, &stmt, NULL);
  for (int i = 1; i <= N_ROWS; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "INSERT INTO certificates (id, number, record_id, kind, status) VALUES (?1, printf ('JD2026-%07d', ?1), ?1, 'original', 'issued')", -1, &stmt, NULL);
  for (int i = 1; i <= N_ROWS; i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  g_assert_true (cb_store_exec (store, "COMMIT", NULL));
  g_assert_true (cb_store_exec (store, "PRAGMA foreign_keys = ON; ANALYZE", NULL));
  g_print ("loaded %d certificates, samples, tasks and records in %.1f s\n",
           N_ROWS, (g_get_monotonic_time () - start) / 1e6);
}

typedef gint64 (*LookupFunc) (CbStore *store, guint i);

static gint64
lookup_certificate (CbStore *store,
                    guint    i)
{
  g_autofree char *number = g_strdup_printf ("JD2026-%07u", 1 + (i * 7919u) % N_ROWS);

  return cb_store_find_certificate (store, number, NULL);
}

static gint64
lookup_sample (CbStore *store,
               guint    i)
{
  g_autofree char *label = g_strdup_printf ("S%u", 1 + (i * 104729u) % N_ROWS);

  return cb_store_find_sample (store, label, NULL);
}

static gint64
lookup_customer (CbStore *store,
                 guint    i)
{
  g_autoptr(GArray) ids = cb_store_find_records_by_customer (store, 1 + i % N_CUSTOMERS, 50, NULL);

  return ids->len;
}

static gint64
lookup_serial (CbStore *store,
               guint    i)
{
  g_autofree char *serial = g_strdup_printf ("SN%u", (i * 31u) % 200000);
  g_autoptr(GArray) ids = cb_store_find_records_by_serial (store, serial, 50, NULL);

  return ids->len;
}

static void
time_lookups (CbStore    *store,
              const char *what,
              LookupFunc  lookup)
{
  gint64 worst = 0, total = 0;

  for (guint i = 0; i < N_LOOKUPS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 found = lookup (store, i);
      gint64 took = g_get_monotonic_time () - start;

      g_assert_cmpint (found, >, 0);
      total += took;
      worst = MAX (worst, took);
    }
  g_print ("  %-28s mean %7.1f us   worst %7.1f us   (target < 10 ms)\n",
           what, (double) total / N_LOOKUPS, (double) worst);
}

static void
time_writes (CbStore *store,
             guint    n,
             guint    batch)
{
  gint64 start = g_get_monotonic_time ();
  double seconds;

  for (guint i = 0; i < n; i += batch)
    {
      g_assert_true (cb_store_begin (store, NULL));
      for (guint j = 0; j < batch; j++)
        {
          const char *fields[] = { "room", "sensor", "measured_at", "temperature", "humidity" };
          const char *values[] = { "压力室 1", "TH-01", "2026-11-23T08:00:00Z", "20.1", "45" };

          g_assert_cmpint (cb_store_insert (store, "environment_log", fields, values, 5, NULL, NULL), >, 0);
        }
      g_assert_true (cb_store_commit (store, NULL));
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("  audited writes, %3u per commit: %8.0f rows/s (5 audit entries each)\n", batch, n / seconds);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("calbench-bench-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "lab.db", NULL);
  CbStore *store;

  g_assert_no_error (error);
  store = cb_store_open (path, &error);
  g_assert_no_error (error);

  bulk_load (store);
  g_print ("lookups in %d rows, %d each:\n", N_ROWS, N_LOOKUPS);
  time_lookups (store, "certificate by number", lookup_certificate);
  time_lookups (store, "sample by label", lookup_sample);
  time_lookups (store, "records by customer (50)", lookup_customer);
  time_lookups (store, "records by serial (50)", lookup_serial);

  g_print ("synchronous=FULL, WAL:\n");
  time_writes (store, 300, 1);
  time_writes (store, 5000, 100);

  cb_store_close (store);
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
