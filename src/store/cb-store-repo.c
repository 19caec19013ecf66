/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"

/* What the repository files share: building audited inserts, checking
 * input with messages that name the field, and reading rows. */

struct _CbStoreRow
{
  char      *table;
  GPtrArray *fields;  /* static strings: field names are literals */
  GPtrArray *values;  /* owned */
  char      *blob_field;
  GBytes    *blob;
};

CbStoreRow *
cb_store_row_new (const char *table)
{
  CbStoreRow *row = g_new0 (CbStoreRow, 1);

  row->table = g_strdup (table);
  row->fields = g_ptr_array_new ();
  row->values = g_ptr_array_new_with_free_func (g_free);
  return row;
}

void
cb_store_row_free (CbStoreRow *row)
{
  if (row == NULL)
    return;
  g_free (row->table);
  g_ptr_array_unref (row->fields);
  g_ptr_array_unref (row->values);
  g_free (row->blob_field);
  g_clear_pointer (&row->blob, g_bytes_unref);
  g_free (row);
}

void
cb_store_row_text (CbStoreRow *row,
                   const char *field,
                   const char *value)
{
  if (value == NULL)
    return;
  g_ptr_array_add (row->fields, (gpointer) field);
  g_ptr_array_add (row->values, g_strdup (value));
}

void
cb_store_row_int (CbStoreRow *row,
                  const char *field,
                  gint64      value)
{
  g_ptr_array_add (row->fields, (gpointer) field);
  g_ptr_array_add (row->values, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
cb_store_row_id (CbStoreRow *row,
                 const char *field,
                 gint64      id)
{
  if (id > 0)
    cb_store_row_int (row, field, id);
}

void
cb_store_row_blob (CbStoreRow *row,
                   const char *field,
                   GBytes     *blob)
{
  g_return_if_fail (row->blob_field == NULL);

  row->blob_field = g_strdup (field);
  row->blob = g_bytes_ref (blob);
}

gint64
cb_store_row_insert (CbStore     *store,
                     CbStoreRow  *row,
                     const char  *reason,
                     GError     **error)
{
  return cb_store_insert_full (store, row->table,
                               (const char * const *) row->fields->pdata,
                               (const char * const *) row->values->pdata,
                               row->fields->len, row->blob_field, row->blob, reason, error);
}

gboolean
cb_store_update_int (CbStore     *store,
                     const char  *table,
                     gint64       row,
                     const char  *field,
                     gint64       value,
                     const char  *reason,
                     GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return cb_store_update (store, table, row, field, text, reason, error);
}

static gboolean
is_blank (const char *value)
{
  return value == NULL || strspn (value, " \t\r\n") == strlen (value);
}

gboolean
cb_store_expect_text (const char  *value,
                      const char  *what,
                      const char  *expected,
                      GError     **error)
{
  if (is_blank (value))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("%s: expected %s"), what, expected);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_store_expect_date (const char  *value,
                      gboolean     optional,
                      const char  *what,
                      GError     **error)
{
  guint year, month, day;
  char end;

  if (value == NULL && optional)
    return TRUE;
  if (value == NULL || strlen (value) != 10 ||
      sscanf (value, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3 ||
      value[4] != '-' || value[7] != '-' ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: expected a date as YYYY-MM-DD, not “%s”"), what, value != NULL ? value : "");
      return FALSE;
    }
  return TRUE;
}

char *
cb_store_expect_time (const char  *value,
                      const char  *what,
                      GError     **error)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (value != NULL)
    time = g_date_time_new_from_iso8601 (value, NULL);
  if (time == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: expected a time such as 2026-11-23T08:00:00Z or 2026-11-23T16:00:00+08:00, not “%s”"),
                   what, value != NULL ? value : "");
      return NULL;
    }
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
cb_store_expect_one_of (const char          *value,
                        const char * const  *allowed,
                        const char          *what,
                        GError             **error)
{
  g_autofree char *list = NULL;

  if (value != NULL && g_strv_contains (allowed, value))
    return TRUE;
  list = g_strjoinv (", ", (char **) allowed);
  g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
               _("%s: expected one of %s, not “%s”"), what, list, value != NULL ? value : "");
  return FALSE;
}

gboolean
cb_store_expect_number (const char  *value,
                        gboolean     optional,
                        const char  *what,
                        GError     **error)
{
  char *end = NULL;

  if (value == NULL && optional)
    return TRUE;
  if (value != NULL && *value != '\0' && !g_ascii_isspace (*value))
    {
      double number = g_ascii_strtod (value, &end);

      if (*end == '\0' && isfinite (number))
        return TRUE;
    }
  g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
               _("%s: expected a number such as 20.3, not “%s”"), what, value != NULL ? value : "");
  return FALSE;
}

gboolean
cb_store_expect_amount (gint64       cents,
                        const char  *what,
                        GError     **error)
{
  if (cents < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: expected an amount of zero or more, not %lld cents"), what, (long long) cents);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_store_expect_row (CbStore     *store,
                     const char  *table,
                     gint64       id,
                     const char  *what,
                     const char  *expected,
                     GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1 AND voided = 0", table);
  sqlite3_stmt *stmt = cb_store_prepare_cached (store, sql, error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                   _("%s: expected %s, but there is none with id %lld"), what, expected, (long long) id);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
cb_store_query (CbStore     *store,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("database"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

char *
cb_store_column_dup (sqlite3_stmt *stmt,
                     int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
cb_store_read_all (CbStore         *store,
                   sqlite3_stmt    *stmt,
                   CbStoreReadFunc  read,
                   GDestroyNotify   free_func,
                   GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read (stmt));
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("database"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

gpointer
cb_store_read_one (CbStore         *store,
                   sqlite3_stmt    *stmt,
                   CbStoreReadFunc  read,
                   const char      *what,
                   gint64           id,
                   GError         **error)
{
  gpointer value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = read (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                 _("%s %lld does not exist"), what, (long long) id);
  else
    cb_store_set_sqlite_error (store, error, what);
  sqlite3_finalize (stmt);
  return value;
}

gint64
cb_store_read_int (CbStore       *store,
                   sqlite3_stmt  *stmt,
                   gint64         fallback,
                   GError       **error)
{
  gint64 value = fallback;
  int rc;

  if (stmt == NULL)
    return fallback;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cb_store_set_sqlite_error (store, error, _("database"));
  sqlite3_finalize (stmt);
  return value;
}

char *
cb_store_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d");
}

char *
cb_store_now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
cb_store_date_add_days (const char *date,
                        int         days)
{
  guint year = 1970, month = 1, day = 1;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) then = NULL;

  sscanf (date, "%4u-%2u-%2u", &year, &month, &day);
  start = g_date_time_new_utc ((int) year, (int) month, (int) day, 0, 0, 0);
  if (start == NULL)
    return g_strdup (date);
  then = g_date_time_add_days (start, days);
  return g_date_time_format (then, "%Y-%m-%d");
}
