/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-issuance.h"
#include "cb-store-private.h"

void
cb_public_certificate_free (CbPublicCertificate *certificate)
{
  if (certificate == NULL)
    return;
  g_free (certificate->number);
  g_free (certificate->kind);
  g_free (certificate->status);
  g_free (certificate->superseded_by);
  g_free (certificate->replaces);
  g_free (certificate->instrument);
  g_free (certificate->customer);
  g_free (certificate->calibrated_on);
  g_free (certificate->issued_at);
  g_free (certificate->sha256);
  g_free (certificate);
}

void
cb_public_order_free (CbPublicOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->number);
  g_free (order->received);
  g_free (order);
}


gint64
cb_store_certificate_find (CbStore     *store,
                           const char  *number,
                           GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM certificates WHERE number = ?1 AND voided = 0", error);
  gint64 id;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  id = cb_store_read_int (store, stmt, 0, error);
  if (id == 0 && error != NULL && *error == NULL)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND, _("no certificate %s"), number);
  return MAX (id, 0);
}

static gpointer
read_public_certificate (sqlite3_stmt *stmt)
{
  CbPublicCertificate *certificate = g_new0 (CbPublicCertificate, 1);

  certificate->number = cb_store_column_dup (stmt, 0);
  certificate->kind = cb_store_column_dup (stmt, 1);
  certificate->status = cb_store_column_dup (stmt, 2);
  certificate->superseded_by = cb_store_column_dup (stmt, 3);
  certificate->replaces = cb_store_column_dup (stmt, 4);
  certificate->instrument = cb_store_column_dup (stmt, 5);
  certificate->customer = cb_store_column_dup (stmt, 6);
  certificate->calibrated_on = cb_store_column_dup (stmt, 7);
  certificate->issued_at = cb_store_column_dup (stmt, 8);
  certificate->sha256 = cb_store_column_dup (stmt, 9);
  return certificate;
}

CbPublicCertificate *
cb_store_certificate_public (CbStore     *store,
                             const char  *number,
                             GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
    "SELECT c.number, c.kind, c.status,"
    " (SELECT n.number FROM certificates n WHERE n.replaces_id = c.id AND n.kind = 'replacement'"
    "   AND n.status <> 'draft' AND n.voided = 0 ORDER BY n.id LIMIT 1),"
    " (SELECT o.number FROM certificates o WHERE o.id = c.replaces_id),"
    " trim (s.name || ' ' || COALESCE (s.model, '') || ' ' || COALESCE (s.serial, '')),"
    " cu.name,"
    " (SELECT substr (MIN (g.signed_at), 1, 10) FROM signatures g WHERE g.record_id = r.id"
    "   AND g.meaning = 'performed' AND g.voided = 0),"
    " c.issued_at, c.sha256"
    " FROM certificates c"
    " LEFT JOIN records r ON r.id = c.record_id"
    " LEFT JOIN tasks t ON t.id = r.task_id"
    " LEFT JOIN samples s ON s.id = t.sample_id"
    " LEFT JOIN orders od ON od.id = s.order_id"
    " LEFT JOIN customers cu ON cu.id = od.customer_id"
    " WHERE c.number = ?1 AND c.status <> 'draft' AND c.voided = 0", error);
  CbPublicCertificate *certificate;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND, _("no certificate %s was issued"), number);
      else
        cb_store_set_sqlite_error (store, error, _("certificates"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  certificate = read_public_certificate (stmt);
  sqlite3_finalize (stmt);
  return certificate;
}

CbPublicOrder *
cb_store_order_public (CbStore     *store,
                       const char  *number,
                       GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
    "SELECT o.number, o.received, o.state,"
    " EXISTS (SELECT 1 FROM tasks t JOIN samples s ON s.id = t.sample_id WHERE s.order_id = o.id"
    "   AND t.voided = 0 AND (t.assignee_id IS NOT NULL OR t.bench IS NOT NULL)),"
    " EXISTS (SELECT 1 FROM tasks t JOIN samples s ON s.id = t.sample_id WHERE s.order_id = o.id"
    "   AND t.voided = 0 AND (t.state IN ('measuring', 'to-check', 'to-approve', 'approved')"
    "   OR EXISTS (SELECT 1 FROM records r WHERE r.task_id = t.id AND r.voided = 0))),"
    " EXISTS (SELECT 1 FROM tasks t JOIN samples s ON s.id = t.sample_id WHERE s.order_id = o.id"
    "   AND t.voided = 0 AND t.state IN ('to-check', 'to-approve', 'approved')),"
    " EXISTS (SELECT 1 FROM certificates c JOIN records r ON r.id = c.record_id JOIN tasks t ON t.id = r.task_id"
    "   JOIN samples s ON s.id = t.sample_id WHERE s.order_id = o.id AND c.status <> 'draft' AND c.voided = 0)"
    " FROM orders o WHERE o.number = ?1 AND o.voided = 0 AND o.state <> 'draft'", error);
  CbPublicOrder *order;
  const char *state;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND, _("no order %s"), number);
      else
        cb_store_set_sqlite_error (store, error, _("orders"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  order = g_new0 (CbPublicOrder, 1);
  order->number = cb_store_column_dup (stmt, 0);
  order->received = cb_store_column_dup (stmt, 1);
  state = (const char *) sqlite3_column_text (stmt, 2);
  order->cancelled = g_strcmp0 (state, "cancelled") == 0;
  order->reached[CB_ORDER_NODE_RECEIVED] = TRUE;
  order->reached[CB_ORDER_NODE_ASSIGNED] = sqlite3_column_int (stmt, 3);
  order->reached[CB_ORDER_NODE_TESTING] = sqlite3_column_int (stmt, 4);
  order->reached[CB_ORDER_NODE_CHECKING] = sqlite3_column_int (stmt, 5);
  order->reached[CB_ORDER_NODE_ISSUED] = sqlite3_column_int (stmt, 6);
  order->reached[CB_ORDER_NODE_COMPLETED] = g_strcmp0 (state, "completed") == 0 ||
                                            g_strcmp0 (state, "handed-over") == 0;
  sqlite3_finalize (stmt);
  /* A later node implies the earlier ones, whatever the rows say. */
  for (int i = CB_ORDER_N_NODES - 2; i >= 0; i--)
    order->reached[i] = order->reached[i] || order->reached[i + 1];
  return order;
}

GArray *
cb_store_records_approved_uncertified (CbStore  *store,
                                       GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT r.id FROM records r WHERE r.state = 'approved' AND r.voided = 0"
                                       " AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.record_id = r.id)"
                                       " ORDER BY r.id", error);
  GArray *records;
  int rc;

  if (stmt == NULL)
    return NULL;
  records = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (records, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, "records");
      g_array_unref (records);
      return NULL;
    }
  return records;
}
