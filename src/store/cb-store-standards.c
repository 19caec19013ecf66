/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"
#include "cb-store-standards.h"

static const char * const standard_states[] = { "in-service", "out-of-service", "under-repair", NULL };

void
cb_standard_free (CbStandard *standard)
{
  if (standard == NULL)
    return;
  g_free (standard->asset_no);
  g_free (standard->name);
  g_free (standard->model);
  g_free (standard->serial);
  g_free (standard->range_text);
  g_free (standard->uncertainty);
  g_free (standard->traceability_body);
  g_free (standard->certificate_no);
  g_free (standard->valid_until);
  g_free (standard->status);
  g_free (standard);
}

void
cb_standard_usage_free (CbStandardUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->used_at);
  g_free (usage->role);
  g_free (usage);
}

void
cb_external_certificate_free (CbExternalCertificate *certificate)
{
  if (certificate == NULL)
    return;
  g_free (certificate->number);
  g_free (certificate->issuer);
  g_free (certificate->valid_until);
  g_free (certificate->scan_sha256);
  g_free (certificate);
}

#define STANDARD_COLUMNS \
  "id, asset_no, name, model, serial, range_text, uncertainty, traceability_body, certificate_no," \
  " valid_until, status"

static gpointer
read_standard (sqlite3_stmt *stmt)
{
  CbStandard *standard = g_new0 (CbStandard, 1);

  standard->id = sqlite3_column_int64 (stmt, 0);
  standard->asset_no = cb_store_column_dup (stmt, 1);
  standard->name = cb_store_column_dup (stmt, 2);
  standard->model = cb_store_column_dup (stmt, 3);
  standard->serial = cb_store_column_dup (stmt, 4);
  standard->range_text = cb_store_column_dup (stmt, 5);
  standard->uncertainty = cb_store_column_dup (stmt, 6);
  standard->traceability_body = cb_store_column_dup (stmt, 7);
  standard->certificate_no = cb_store_column_dup (stmt, 8);
  standard->valid_until = cb_store_column_dup (stmt, 9);
  standard->status = cb_store_column_dup (stmt, 10);
  return standard;
}

static gpointer
read_usage (sqlite3_stmt *stmt)
{
  CbStandardUsage *usage = g_new0 (CbStandardUsage, 1);

  usage->id = sqlite3_column_int64 (stmt, 0);
  usage->standard_id = sqlite3_column_int64 (stmt, 1);
  usage->record_id = sqlite3_column_int64 (stmt, 2);
  usage->used_at = cb_store_column_dup (stmt, 3);
  usage->role = cb_store_column_dup (stmt, 4);
  return usage;
}

static gpointer
read_certificate (sqlite3_stmt *stmt)
{
  CbExternalCertificate *certificate = g_new0 (CbExternalCertificate, 1);

  certificate->id = sqlite3_column_int64 (stmt, 0);
  certificate->standard_id = sqlite3_column_int64 (stmt, 1);
  certificate->number = cb_store_column_dup (stmt, 2);
  certificate->issuer = cb_store_column_dup (stmt, 3);
  certificate->valid_until = cb_store_column_dup (stmt, 4);
  certificate->scan_sha256 = cb_store_column_dup (stmt, 5);
  return certificate;
}

gint64
cb_store_standard_add (CbStore           *store,
                       const CbStandard  *standard,
                       GError           **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("standards");
  sqlite3_stmt *stmt;

  if (!cb_store_expect_text (standard->asset_no, _("standard asset number"), _("a non-empty asset number"), error) ||
      !cb_store_expect_text (standard->name, _("standard name"), _("a non-empty name"), error) ||
      !cb_store_expect_date (standard->valid_until, TRUE, _("standard valid until"), error) ||
      (standard->status != NULL &&
       !cb_store_expect_one_of (standard->status, standard_states, _("standard status"), error)))
    return 0;
  stmt = cb_store_query (store, "SELECT id FROM standards WHERE asset_no = ?1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, standard->asset_no, -1, SQLITE_TRANSIENT);
  if (cb_store_read_int (store, stmt, 0, NULL) != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("standard asset number: %s is already taken"), standard->asset_no);
      return 0;
    }
  cb_store_row_text (row, "asset_no", standard->asset_no);
  cb_store_row_text (row, "name", standard->name);
  cb_store_row_text (row, "model", standard->model);
  cb_store_row_text (row, "serial", standard->serial);
  cb_store_row_text (row, "range_text", standard->range_text);
  cb_store_row_text (row, "uncertainty", standard->uncertainty);
  cb_store_row_text (row, "traceability_body", standard->traceability_body);
  cb_store_row_text (row, "certificate_no", standard->certificate_no);
  cb_store_row_text (row, "valid_until", standard->valid_until);
  cb_store_row_text (row, "status", standard->status);
  return cb_store_row_insert (store, row, NULL, error);
}

CbStandard *
cb_store_standard_get (CbStore  *store,
                       gint64    standard_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " STANDARD_COLUMNS " FROM standards WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  return cb_store_read_one (store, stmt, read_standard, _("standard"), standard_id, error);
}

GPtrArray *
cb_store_standard_list (CbStore  *store,
                        GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " STANDARD_COLUMNS " FROM standards WHERE voided = 0 ORDER BY asset_no",
                                       error);

  return cb_store_read_all (store, stmt, read_standard, (GDestroyNotify) cb_standard_free, error);
}

gboolean
cb_store_standard_set_status (CbStore     *store,
                              gint64       standard_id,
                              const char  *status,
                              const char  *reason,
                              GError     **error)
{
  if (!cb_store_expect_row (store, "standards", standard_id, _("standard"), _("an existing standard"), error) ||
      !cb_store_expect_one_of (status, standard_states, _("standard status"), error))
    return FALSE;
  return cb_store_update (store, "standards", standard_id, "status", status, reason, error);
}

CbStandardUsability
cb_store_standard_check_usable (CbStore     *store,
                                gint64       standard_id,
                                const char  *date,
                                GError     **error)
{
  g_autoptr(CbStandard) standard = NULL;
  g_autofree char *today = cb_store_today ();

  if (!cb_store_expect_date (date, TRUE, _("standard check date"), error))
    return CB_STANDARD_DUE;
  standard = cb_store_standard_get (store, standard_id, error);
  if (standard == NULL)
    return CB_STANDARD_OUT_OF_SERVICE;
  if (date == NULL)
    date = today;

  if (g_str_equal (standard->status, "out-of-service"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("standard %s (%s) is out of service and cannot be used"), standard->asset_no, standard->name);
      return CB_STANDARD_OUT_OF_SERVICE;
    }
  if (g_str_equal (standard->status, "under-repair"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("standard %s (%s) is under repair and cannot be used"), standard->asset_no, standard->name);
      return CB_STANDARD_UNDER_REPAIR;
    }
  if (standard->valid_until == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("standard %s (%s) has no valid calibration certificate and cannot be used"),
                   standard->asset_no, standard->name);
      return CB_STANDARD_DUE;
    }
  if (g_strcmp0 (standard->valid_until, date) < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("standard %s (%s) was due for calibration on %s and cannot be used"),
                   standard->asset_no, standard->name, standard->valid_until);
      return CB_STANDARD_DUE;
    }
  return CB_STANDARD_USABLE;
}

GPtrArray *
cb_store_standard_due_within (CbStore     *store,
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
                         "SELECT " STANDARD_COLUMNS " FROM standards WHERE voided = 0"
                         " AND status <> 'out-of-service' AND (valid_until IS NULL OR valid_until <= ?1)"
                         " ORDER BY valid_until, asset_no",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, until, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_standard, (GDestroyNotify) cb_standard_free, error);
}

gint64
cb_store_standard_usage_add (CbStore     *store,
                             gint64       standard_id,
                             gint64       record_id,
                             const char  *used_at,
                             GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("standard_usage");
  g_autofree char *utc = NULL;

  if (!cb_store_expect_row (store, "standards", standard_id, _("standard used"), _("an existing standard"), error) ||
      !cb_store_expect_row (store, "records", record_id, _("standard used in record"), _("an existing record"), error))
    return 0;
  utc = used_at != NULL ? cb_store_expect_time (used_at, _("standard used at"), error) : cb_store_now_utc ();
  if (utc == NULL)
    return 0;
  cb_store_row_id (row, "standard_id", standard_id);
  cb_store_row_id (row, "record_id", record_id);
  cb_store_row_text (row, "used_at", utc);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_standard_usage_list (CbStore  *store,
                              gint64    standard_id,
                              GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, standard_id, record_id, used_at, role FROM standard_usage"
                                       " WHERE standard_id = ?1 ORDER BY used_at DESC, id DESC",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  return cb_store_read_all (store, stmt, read_usage, (GDestroyNotify) cb_standard_usage_free, error);
}

gint64
cb_store_external_certificate_add (CbStore     *store,
                                   gint64       standard_id,
                                   const char  *number,
                                   const char  *issuer,
                                   const char  *valid_until,
                                   GBytes      *scan,
                                   GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("external_certificates");
  g_autofree char *reason = NULL;
  g_autofree char *sha256 = NULL;
  gint64 id;

  if (!cb_store_expect_row (store, "standards", standard_id, _("certificate's standard"), _("an existing standard"), error) ||
      !cb_store_expect_text (number, _("certificate number"), _("a non-empty number"), error) ||
      !cb_store_expect_date (valid_until, FALSE, _("certificate valid until"), error))
    return 0;
  if (scan != NULL && g_bytes_get_size (scan) == 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("certificate scan: expected the scanned file's bytes, or none"));
      return 0;
    }
  cb_store_row_id (row, "standard_id", standard_id);
  cb_store_row_text (row, "number", number);
  cb_store_row_text (row, "issuer", issuer);
  cb_store_row_text (row, "valid_until", valid_until);
  if (scan != NULL)
    {
      sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, scan);
      cb_store_row_text (row, "scan_sha256", sha256);
      cb_store_row_blob (row, "scan", scan);
    }
  reason = g_strdup_printf (_("new calibration certificate %s"), number);

  if (!cb_store_begin (store, error))
    return 0;
  id = cb_store_row_insert (store, row, NULL, error);
  if (id == 0 ||
      !cb_store_update (store, "standards", standard_id, "certificate_no", number, reason, error) ||
      !cb_store_update (store, "standards", standard_id, "valid_until", valid_until, reason, error) ||
      (issuer != NULL && !cb_store_update (store, "standards", standard_id, "traceability_body", issuer, reason, error)) ||
      !cb_store_commit (store, error))
    {
      cb_store_rollback (store);
      return 0;
    }
  return id;
}

GPtrArray *
cb_store_external_certificate_list (CbStore  *store,
                                    gint64    standard_id,
                                    GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, standard_id, number, issuer, valid_until, scan_sha256"
                                       " FROM external_certificates WHERE standard_id = ?1 AND voided = 0"
                                       " ORDER BY valid_until DESC, id DESC",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  return cb_store_read_all (store, stmt, read_certificate, (GDestroyNotify) cb_external_certificate_free, error);
}

GPtrArray *
cb_store_record_standards (CbStore  *store,
                           gint64    record_id,
                           GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id, standard_id, record_id, used_at, role FROM standard_usage"
                                              " WHERE record_id = ? AND voided = 0 ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  return cb_store_read_all (store, stmt, read_usage, (GDestroyNotify) cb_standard_usage_free, error);
}

CbStandardUsage *
cb_store_record_standard (CbStore     *store,
                          gint64       record_id,
                          const char  *role,
                          GError     **error)
{
  g_autoptr(GPtrArray) used = cb_store_record_standards (store, record_id, error);
  CbStandardUsage *legacy = NULL;

  if (used == NULL)
    return NULL;
  for (guint i = used->len; i > 0; i--)
    {
      CbStandardUsage *usage = g_ptr_array_index (used, i - 1);

      if (g_strcmp0 (usage->role, role) == 0)
        return g_ptr_array_steal_index (used, i - 1);
      if (usage->role == NULL)
        legacy = usage;
    }
  if (legacy != NULL)
    {
      guint index;

      g_ptr_array_find (used, legacy, &index);
      return g_ptr_array_steal_index (used, index);
    }
  return NULL;
}

gboolean
cb_store_record_use_standard (CbStore     *store,
                              gint64       record_id,
                              gint64       staff_id,
                              const char  *role,
                              gint64       standard_id,
                              const char  *reason,
                              GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("standard_usage");
  g_autoptr(CbStandardUsage) current = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *performer = NULL;
  g_autofree char *state = NULL;
  g_autofree char *now = cb_store_now_utc ();

  if (!cb_store_expect_text (role, _("standard role"), _("a role of the record's template"), error) ||
      !cb_store_expect_row (store, "records", record_id, _("record"), _("an existing record"), error))
    return FALSE;
  performer = cb_store_get_field (store, "records", record_id, "performer_id", error);
  state = cb_store_get_field (store, "records", record_id, "state", error);
  if (state == NULL)
    return FALSE;
  if (performer == NULL || g_ascii_strtoll (performer, NULL, 10) != staff_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("only the performer chooses the standards of record %lld"), (long long) record_id);
      return FALSE;
    }
  if (g_str_equal (state, "approved"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("record %lld is approved: its standards can no longer change"), (long long) record_id);
      return FALSE;
    }
  if (cb_store_standard_check_usable (store, standard_id, NULL, error) != CB_STANDARD_USABLE)
    return FALSE;

  current = cb_store_record_standard (store, record_id, role, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current != NULL && current->standard_id == standard_id)
    return TRUE;
  if (current != NULL && (reason == NULL || reason[strspn (reason, " \t\n")] == '\0'))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED,
                   _("%s already has a standard: changing it needs a reason"), role);
      return FALSE;
    }

  cb_store_row_id (row, "standard_id", standard_id);
  cb_store_row_id (row, "record_id", record_id);
  cb_store_row_text (row, "used_at", now);
  cb_store_row_text (row, "role", role);
  if (!cb_store_begin (store, error))
    return FALSE;
  if ((current != NULL && !cb_store_void (store, "standard_usage", current->id, reason, error))
      || cb_store_row_insert (store, row, NULL, error) == 0
      || !cb_store_commit (store, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
