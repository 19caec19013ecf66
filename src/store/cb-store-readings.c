/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"
#include "cb-store-readings.h"

#define READING_COLUMNS \
  "r.id, r.cell, r.value, r.source, r.instrument, r.raw_reply, r.taken_at, r.environment, r.voided, r.void_reason," \
  " (SELECT actor FROM audit WHERE tbl = 'readings' AND row_id = r.id AND action = 'insert' ORDER BY seq LIMIT 1)," \
  " (SELECT utc FROM audit WHERE tbl = 'readings' AND row_id = r.id AND action = 'insert' ORDER BY seq LIMIT 1)," \
  " (SELECT actor FROM audit WHERE tbl = 'readings' AND row_id = r.id AND action = 'void' ORDER BY seq LIMIT 1)," \
  " (SELECT utc FROM audit WHERE tbl = 'readings' AND row_id = r.id AND action = 'void' ORDER BY seq LIMIT 1)"

void
cb_stored_reading_free (CbStoredReading *reading)
{
  if (reading == NULL)
    return;
  g_free (reading->cell);
  g_free (reading->value);
  g_free (reading->source);
  g_free (reading->instrument);
  g_free (reading->raw_reply);
  g_free (reading->taken_at);
  g_free (reading->environment);
  g_free (reading->entered_by);
  g_free (reading->entered_at);
  g_free (reading->void_reason);
  g_free (reading->voided_by);
  g_free (reading->voided_at);
  g_free (reading);
}

static gpointer
read_reading (sqlite3_stmt *stmt)
{
  CbStoredReading *reading = g_new0 (CbStoredReading, 1);

  reading->id = sqlite3_column_int64 (stmt, 0);
  reading->cell = cb_store_column_dup (stmt, 1);
  reading->value = cb_store_column_dup (stmt, 2);
  reading->source = cb_store_column_dup (stmt, 3);
  reading->instrument = cb_store_column_dup (stmt, 4);
  reading->raw_reply = cb_store_column_dup (stmt, 5);
  reading->taken_at = cb_store_column_dup (stmt, 6);
  reading->environment = cb_store_column_dup (stmt, 7);
  reading->voided = sqlite3_column_int (stmt, 8) != 0;
  reading->void_reason = cb_store_column_dup (stmt, 9);
  reading->entered_by = cb_store_column_dup (stmt, 10);
  reading->entered_at = cb_store_column_dup (stmt, 11);
  reading->voided_by = cb_store_column_dup (stmt, 12);
  reading->voided_at = cb_store_column_dup (stmt, 13);
  return reading;
}

static GPtrArray *
query_readings (CbStore     *store,
                const char  *sql,
                gint64       record_id,
                const char  *cell,
                GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  if (cell != NULL)
    sqlite3_bind_text (stmt, 2, cell, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_reading, (GDestroyNotify) cb_stored_reading_free, error);
}

GPtrArray *
cb_store_reading_list (CbStore  *store,
                       gint64    record_id,
                       GError  **error)
{
  return query_readings (store, "SELECT " READING_COLUMNS " FROM readings r"
                                " WHERE r.record_id = ? AND r.voided = 0 ORDER BY r.id",
                         record_id, NULL, error);
}

GPtrArray *
cb_store_reading_history (CbStore     *store,
                          gint64       record_id,
                          const char  *cell,
                          GError     **error)
{
  return query_readings (store, "SELECT " READING_COLUMNS " FROM readings r"
                                " WHERE r.record_id = ? AND r.cell = ? ORDER BY r.id",
                         record_id, cell, error);
}

gint64
cb_store_record_add_reading (CbStore     *store,
                             gint64       record_id,
                             const char  *cell,
                             const char  *value,
                             const char  *source,
                             const char  *instrument,
                             const char  *raw_reply,
                             const char  *taken_at,
                             const char  *environment,
                             GError     **error)
{
  static const char * const sources[] = { "typed", "instrument", NULL };
  g_autoptr(CbStoreRow) row = cb_store_row_new ("readings");
  g_autofree char *utc = NULL;
  g_autofree char *state = NULL;

  if (!cb_store_expect_text (cell, _("reading cell"), _("the id of a record's cell"), error) ||
      !cb_store_expect_text (value, _("reading value"), _("the value as entered"), error) ||
      !cb_store_expect_one_of (source, sources, _("reading source"), error))
    return 0;
  if (g_str_equal (source, "instrument") &&
      !cb_store_expect_text (instrument, _("reading instrument"), _("the instrument's identity"), error))
    return 0;
  utc = cb_store_expect_time (taken_at, _("reading taken at"), error);
  if (utc == NULL || !cb_store_expect_row (store, "records", record_id, _("reading's record"), _("an existing record"), error))
    return 0;
  state = cb_store_get_field (store, "records", record_id, "state", NULL);
  if (g_strcmp0 (state, "approved") == 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("record %lld is approved: its data can no longer change"), (long long) record_id);
      return 0;
    }

  cb_store_row_id (row, "record_id", record_id);
  cb_store_row_text (row, "cell", cell);
  cb_store_row_text (row, "value", value);
  cb_store_row_text (row, "source", source);
  cb_store_row_text (row, "instrument", instrument);
  cb_store_row_text (row, "raw_reply", raw_reply);
  cb_store_row_text (row, "taken_at", utc);
  cb_store_row_text (row, "environment", environment);
  return cb_store_row_insert (store, row, NULL, error);
}

gboolean
cb_store_record_enter (CbStore                *store,
                       gint64                  record_id,
                       gint64                  staff_id,
                       CbRecord               *record,
                       const char             *cell,
                       const char             *text,
                       const CbReadingSource  *source,
                       const char             *reason,
                       GError                **error)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *state = NULL;
  g_autofree char *taken_at = NULL;
  CbStoredReading *current = NULL;
  const char *saved;
  sqlite3_stmt *stmt;
  gint64 performer;
  CbCell probe;

  g_return_val_if_fail (record != NULL, FALSE);

  /* The cell must be one that is entered. */
  if (!cb_record_get_cell (record, cell, &probe, error))
    return FALSE;
  if (probe.kind != CB_CELL_KIND_ENTERED && probe.kind != CB_CELL_KIND_INPUT)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: a computed cell cannot be entered"), cell);
      return FALSE;
    }

  stmt = cb_store_query (store, "SELECT performer_id, state FROM records WHERE id = ? AND voided = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND, _("no record %lld"), (long long) record_id);
      return FALSE;
    }
  performer = sqlite3_column_int64 (stmt, 0);
  state = cb_store_column_dup (stmt, 1);
  sqlite3_finalize (stmt);
  if (performer != staff_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("only the performer changes the measured data of record %lld"), (long long) record_id);
      return FALSE;
    }
  if (g_str_equal (state, "approved"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("record %lld is approved: its data can no longer change"), (long long) record_id);
      return FALSE;
    }

  history = cb_store_reading_history (store, record_id, cell, error);
  if (history == NULL)
    return FALSE;
  for (guint i = 0; i < history->len; i++)
    if (!((CbStoredReading *) g_ptr_array_index (history, i))->voided)
      current = g_ptr_array_index (history, i);
  /* A value of the saved data that no reading holds counts as one too. */
  saved = current == NULL ? probe.text : NULL;
  if ((current != NULL || saved != NULL) && g_strcmp0 (current != NULL ? current->value : saved, text) == 0)
    return TRUE;
  if ((current != NULL || saved != NULL) && (reason == NULL || reason[strspn (reason, " \t\n")] == '\0'))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED,
                   _("%s already holds %s: changing it needs a reason"), cell,
                   current != NULL ? current->value : saved);
      return FALSE;
    }

  if (source != NULL && source->taken_at != NULL)
    {
      taken_at = cb_store_expect_time (source->taken_at, _("reading time"), error);
      if (taken_at == NULL)
        return FALSE;
    }
  else
    taken_at = cb_store_now_utc ();

  if (!cb_store_begin (store, error))
    return FALSE;
  if (current != NULL && !cb_store_void (store, "readings", current->id, reason, error))
    goto failed;
  if (saved != NULL)
    {
      /* Kept in the history, struck through with the reason. */
      gint64 kept = cb_store_record_add_reading (store, record_id, cell, saved, "typed", NULL, NULL, taken_at,
                                                 NULL, error);

      if (kept == 0 || !cb_store_void (store, "readings", kept, reason, error))
        goto failed;
    }
  if (text != NULL && *text != '\0'
      && cb_store_record_add_reading (store, record_id, cell, text,
                                      source != NULL && source->instrument != NULL ? "instrument" : "typed",
                                      source != NULL ? source->instrument : NULL,
                                      source != NULL ? source->raw_reply : NULL, taken_at,
                                      source != NULL ? source->environment : NULL, error) == 0)
    goto failed;
  if (!cb_store_commit (store, error))
    return FALSE;

  /* Stored: now the record computes with it. */
  return cb_record_set_value (record, cell, text, error);

failed:
  cb_store_rollback (store);
  return FALSE;
}
