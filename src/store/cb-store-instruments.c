/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-instruments.h"
#include "cb-store-private.h"

void
cb_instrument_type_free (CbInstrumentType *type)
{
  if (type == NULL)
    return;
  g_free (type->name);
  g_free (type->maker);
  g_free (type->model);
  g_free (type->range_text);
  g_free (type->accuracy);
  g_free (type->characteristics);
  g_free (type);
}

void
cb_ledger_entry_free (CbLedgerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->serial);
  g_free (entry->asset_no);
  g_free (entry->last_calibrated);
  g_free (entry->next_due);
  g_free (entry->customer_name);
  g_free (entry->type_name);
  g_free (entry);
}

#define TYPE_COLUMNS "id, name, maker, model, range_text, accuracy, characteristics"

static gpointer
read_type (sqlite3_stmt *stmt)
{
  CbInstrumentType *type = g_new0 (CbInstrumentType, 1);

  type->id = sqlite3_column_int64 (stmt, 0);
  type->name = cb_store_column_dup (stmt, 1);
  type->maker = cb_store_column_dup (stmt, 2);
  type->model = cb_store_column_dup (stmt, 3);
  type->range_text = cb_store_column_dup (stmt, 4);
  type->accuracy = cb_store_column_dup (stmt, 5);
  type->characteristics = cb_store_column_dup (stmt, 6);
  return type;
}

#define LEDGER_SELECT \
  "SELECT l.id, l.customer_id, l.type_id, l.serial, l.asset_no, l.last_calibrated, l.next_due," \
  " c.name, t.name FROM ledger l JOIN customers c ON c.id = l.customer_id" \
  " LEFT JOIN instrument_types t ON t.id = l.type_id"

static gpointer
read_ledger (sqlite3_stmt *stmt)
{
  CbLedgerEntry *entry = g_new0 (CbLedgerEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->customer_id = sqlite3_column_int64 (stmt, 1);
  entry->type_id = sqlite3_column_int64 (stmt, 2);
  entry->serial = cb_store_column_dup (stmt, 3);
  entry->asset_no = cb_store_column_dup (stmt, 4);
  entry->last_calibrated = cb_store_column_dup (stmt, 5);
  entry->next_due = cb_store_column_dup (stmt, 6);
  entry->customer_name = cb_store_column_dup (stmt, 7);
  entry->type_name = cb_store_column_dup (stmt, 8);
  return entry;
}

gint64
cb_store_instrument_type_add (CbStore     *store,
                              const char  *name,
                              const char  *maker,
                              const char  *model,
                              const char  *range_text,
                              const char  *accuracy,
                              const char  *characteristics,
                              GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("instrument_types");

  if (!cb_store_expect_text (name, _("instrument type name"), _("a non-empty name"), error))
    return 0;
  cb_store_row_text (row, "name", name);
  cb_store_row_text (row, "maker", maker);
  cb_store_row_text (row, "model", model);
  cb_store_row_text (row, "range_text", range_text);
  cb_store_row_text (row, "accuracy", accuracy);
  cb_store_row_text (row, "characteristics", characteristics);
  return cb_store_row_insert (store, row, NULL, error);
}

CbInstrumentType *
cb_store_instrument_type_get (CbStore  *store,
                              gint64    type_id,
                              GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " TYPE_COLUMNS " FROM instrument_types WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, type_id);
  return cb_store_read_one (store, stmt, read_type, _("instrument type"), type_id, error);
}

GPtrArray *
cb_store_instrument_type_list (CbStore  *store,
                               GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " TYPE_COLUMNS " FROM instrument_types WHERE voided = 0"
                                       " ORDER BY name, maker, model",
                                       error);

  return cb_store_read_all (store, stmt, read_type, (GDestroyNotify) cb_instrument_type_free, error);
}

static gboolean
expect_dates (const char  *last_calibrated,
              const char  *next_due,
              GError     **error)
{
  if (!cb_store_expect_date (last_calibrated, TRUE, _("ledger last calibrated"), error) ||
      !cb_store_expect_date (next_due, TRUE, _("ledger next due"), error))
    return FALSE;
  if (last_calibrated != NULL && next_due != NULL && g_strcmp0 (next_due, last_calibrated) < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("ledger next due: expected a date on or after the last calibration (%s), not %s"),
                   last_calibrated, next_due);
      return FALSE;
    }
  return TRUE;
}

gint64
cb_store_ledger_add (CbStore     *store,
                     gint64       customer_id,
                     gint64       type_id,
                     const char  *serial,
                     const char  *asset_no,
                     const char  *last_calibrated,
                     const char  *next_due,
                     GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("ledger");

  if (!cb_store_expect_row (store, "customers", customer_id, _("ledger owner"), _("an existing customer"), error) ||
      (type_id != 0 &&
       !cb_store_expect_row (store, "instrument_types", type_id, _("ledger instrument type"),
                             _("an existing instrument type"), error)) ||
      !expect_dates (last_calibrated, next_due, error))
    return 0;
  if (serial == NULL && asset_no == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("ledger serial: expected a serial number or an asset number"));
      return 0;
    }
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_id (row, "type_id", type_id);
  cb_store_row_text (row, "serial", serial);
  cb_store_row_text (row, "asset_no", asset_no);
  cb_store_row_text (row, "last_calibrated", last_calibrated);
  cb_store_row_text (row, "next_due", next_due);
  return cb_store_row_insert (store, row, NULL, error);
}

CbLedgerEntry *
cb_store_ledger_get (CbStore  *store,
                     gint64    ledger_id,
                     GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, LEDGER_SELECT " WHERE l.id = ?1 AND l.voided = 0", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, ledger_id);
  return cb_store_read_one (store, stmt, read_ledger, _("ledger entry"), ledger_id, error);
}

gboolean
cb_store_ledger_set_calibrated (CbStore     *store,
                                gint64       ledger_id,
                                const char  *last_calibrated,
                                const char  *next_due,
                                const char  *reason,
                                GError     **error)
{
  if (!cb_store_expect_row (store, "ledger", ledger_id, _("ledger entry"), _("an existing ledger entry"), error) ||
      !cb_store_expect_date (last_calibrated, FALSE, _("ledger last calibrated"), error) ||
      !cb_store_expect_date (next_due, FALSE, _("ledger next due"), error) ||
      !expect_dates (last_calibrated, next_due, error))
    return FALSE;
  if (!cb_store_begin (store, error))
    return FALSE;
  if (!cb_store_update (store, "ledger", ledger_id, "last_calibrated", last_calibrated, reason, error) ||
      !cb_store_update (store, "ledger", ledger_id, "next_due", next_due, reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

GPtrArray *
cb_store_ledger_list (CbStore  *store,
                      gint64    customer_id,
                      GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       LEDGER_SELECT " WHERE l.voided = 0 AND (?1 = 0 OR l.customer_id = ?1)"
                                       " ORDER BY l.serial, l.id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return cb_store_read_all (store, stmt, read_ledger, (GDestroyNotify) cb_ledger_entry_free, error);
}

GPtrArray *
cb_store_ledger_due_within (CbStore     *store,
                            const char  *today,
                            guint        days,
                            GError     **error)
{
  g_autofree char *now = cb_store_today ();
  g_autofree char *until = NULL;
  sqlite3_stmt *stmt;

  if (!cb_store_expect_date (today, TRUE, _("due reminder date"), error))
    return NULL;
  until = cb_store_date_add_days (today != NULL ? today : now, (int) MIN (days, 36500u));
  stmt = cb_store_query (store,
                         LEDGER_SELECT " WHERE l.voided = 0 AND l.next_due IS NOT NULL AND l.next_due <= ?1"
                         " ORDER BY l.next_due, l.id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, until, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_ledger, (GDestroyNotify) cb_ledger_entry_free, error);
}
