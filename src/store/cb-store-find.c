/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-find.h"
#include "cb-store-private.h"
#include "cb-store-samples.h"

static gint64
find_one (CbStore     *store,
          const char  *sql,
          const char  *key,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;
  int rc;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("search"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    cb_store_set_sqlite_error (store, error, _("search"));
  sqlite3_finalize (stmt);
  return id;
}

gint64
cb_store_find_certificate (CbStore     *store,
                           const char  *number,
                           GError     **error)
{
  return find_one (store, "SELECT id FROM certificates WHERE number = ?1", number, error);
}

gint64
cb_store_find_sample (CbStore     *store,
                      const char  *label,
                      GError     **error)
{
  return cb_store_sample_find (store, label, error);
}

static GArray *
find_many (CbStore      *store,
           const char   *sql,
           sqlite3_int64 id_key,
           const char   *text_key,
           guint         limit,
           GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("search"));
      return NULL;
    }
  if (text_key != NULL)
    sqlite3_bind_text (stmt, 1, text_key, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, id_key);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("search"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GArray *
cb_store_find_records_by_customer (CbStore     *store,
                                   gint64       customer_id,
                                   guint        limit,
                                   GError     **error)
{
  return find_many (store,
                    "SELECT r.id FROM orders o"
                    " JOIN samples s ON s.order_id = o.id"
                    " JOIN tasks t ON t.sample_id = s.id"
                    " JOIN records r ON r.task_id = t.id"
                    " WHERE o.customer_id = ?1 ORDER BY r.id DESC LIMIT ?2",
                    customer_id, NULL, limit, error);
}

GArray *
cb_store_find_records_by_serial (CbStore     *store,
                                 const char  *serial,
                                 guint        limit,
                                 GError     **error)
{
  return find_many (store,
                    "SELECT r.id FROM samples s"
                    " JOIN tasks t ON t.sample_id = s.id"
                    " JOIN records r ON r.task_id = t.id"
                    " WHERE s.serial = ?1 ORDER BY r.id DESC LIMIT ?2",
                    0, serial, limit, error);
}
