/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-store-complaints.h"
#include "cb-store-private.h"

void
cb_complaint_free (CbComplaint *complaint)
{
  if (complaint == NULL)
    return;
  g_free (complaint->received);
  g_free (complaint->due);
  g_free (complaint->description);
  g_free (complaint->outcome);
  g_free (complaint->closed);
  g_free (complaint);
}

#define COMPLAINT_COLUMNS "id, customer_id, received, due, description, outcome, closed"

static gpointer
read_complaint (sqlite3_stmt *stmt)
{
  CbComplaint *complaint = g_new0 (CbComplaint, 1);

  complaint->id = sqlite3_column_int64 (stmt, 0);
  complaint->customer_id = sqlite3_column_int64 (stmt, 1);
  complaint->received = cb_store_column_dup (stmt, 2);
  complaint->due = cb_store_column_dup (stmt, 3);
  complaint->description = cb_store_column_dup (stmt, 4);
  complaint->outcome = cb_store_column_dup (stmt, 5);
  complaint->closed = cb_store_column_dup (stmt, 6);
  return complaint;
}

char *
cb_add_working_days (const char *date,
                     guint       n)
{
  guint year, month, day;
  char end;
  GDate d;

  if (date == NULL || sscanf (date, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  while (n > 0)
    {
      GDateWeekday weekday;

      g_date_add_days (&d, 1);
      weekday = g_date_get_weekday (&d);
      if (weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY)
        n--;
    }
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d));
}

gint64
cb_store_complaint_add (CbStore     *store,
                        gint64       customer_id,
                        const char  *received,
                        const char  *description,
                        GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("complaints");
  g_autofree char *due = NULL;

  if ((customer_id != 0 &&
       !cb_store_expect_row (store, "customers", customer_id, _("complaint customer"), _("an existing customer"), error)) ||
      !cb_store_expect_date (received, FALSE, _("complaint received"), error) ||
      !cb_store_expect_text (description, _("complaint description"), _("what the customer complains about"), error))
    return 0;
  due = cb_add_working_days (received, CB_COMPLAINT_WORKING_DAYS);
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_text (row, "received", received);
  cb_store_row_text (row, "due", due);
  cb_store_row_text (row, "description", description);
  return cb_store_row_insert (store, row, NULL, error);
}

CbComplaint *
cb_store_complaint_get (CbStore  *store,
                        gint64    complaint_id,
                        GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " COMPLAINT_COLUMNS " FROM complaints WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, complaint_id);
  return cb_store_read_one (store, stmt, read_complaint, _("complaint"), complaint_id, error);
}

gboolean
cb_store_complaint_close (CbStore     *store,
                          gint64       complaint_id,
                          const char  *outcome,
                          const char  *closed,
                          GError     **error)
{
  g_autoptr(CbComplaint) complaint = cb_store_complaint_get (store, complaint_id, error);

  if (complaint == NULL ||
      !cb_store_expect_text (outcome, _("complaint outcome"), _("how the complaint was answered"), error) ||
      !cb_store_expect_date (closed, FALSE, _("complaint closed"), error))
    return FALSE;
  if (complaint->closed != NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("complaint %lld was already closed on %s"), (long long) complaint_id, complaint->closed);
      return FALSE;
    }
  if (g_strcmp0 (closed, complaint->received) < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("complaint closed: expected a date on or after its receipt (%s), not %s"),
                   complaint->received, closed);
      return FALSE;
    }
  if (!cb_store_begin (store, error))
    return FALSE;
  if (!cb_store_update (store, "complaints", complaint_id, "outcome", outcome, outcome, error) ||
      !cb_store_update (store, "complaints", complaint_id, "closed", closed, outcome, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

GPtrArray *
cb_store_complaint_list (CbStore   *store,
                         gboolean   open_only,
                         GError   **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " COMPLAINT_COLUMNS " FROM complaints"
                                       " WHERE voided = 0 AND (NOT ?1 OR closed IS NULL) ORDER BY due, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, open_only);
  return cb_store_read_all (store, stmt, read_complaint, (GDestroyNotify) cb_complaint_free, error);
}
