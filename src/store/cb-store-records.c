/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-accounts.h"
#include "cb-store-private.h"
#include "core/cb-json-text.h"
#include "cb-store-readings.h"
#include "cb-store-records.h"
#include "cb-store-standards.h"

static const char * const meaning_names[] = { "performed", "checked", "approved" };

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Prepares @sql with its first parameter bound to @id and steps once. */
static sqlite3_stmt *
query_row (CbStore    *store,
           const char *sql,
           gint64      id)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

static char *
staff_name (CbStore *store,
            gint64   staff_id)
{
  sqlite3_stmt *stmt = query_row (store, "SELECT name FROM staff WHERE id = ?1", staff_id);
  char *name;

  if (stmt == NULL)
    return g_strdup_printf ("#%lld", (long long) staff_id);
  name = dup_column (stmt, 0);
  sqlite3_finalize (stmt);
  return name;
}

gboolean
cb_store_check_authorisation (CbStore     *store,
                              gint64       staff_id,
                              const char  *item,
                              const char  *kind,
                              GError     **error)
{
  g_autofree char *date = today ();
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  sqlite3_prepare_v2 (store->db,
                      "SELECT 1 FROM authorisations a JOIN staff s ON s.id = a.staff_id"
                      " WHERE a.staff_id = ?1 AND a.item = ?2 AND a.kind = ?3 AND a.voided = 0"
                      " AND s.voided = 0 AND s.active = 1"
                      " AND a.valid_from <= ?4 AND a.valid_until >= ?4",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, item, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, date, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  if (!found)
    {
      g_autofree char *name = staff_name (store, staff_id);

      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION,
                   _("%s has no current authorisation to %s “%s”"), name, kind, item);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_template_version (CbStore  *store,
                        gint64    version_id,
                        GError  **error)
{
  sqlite3_stmt *stmt = query_row (store,
                                  "SELECT t.name, v.version, v.state FROM template_versions v"
                                  " JOIN templates t ON t.id = v.template_id WHERE v.id = ?1 AND v.voided = 0",
                                  version_id);
  gboolean ok;

  if (stmt == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                   _("template version %lld does not exist"), (long long) version_id);
      return FALSE;
    }
  ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "approved") == 0;
  if (!ok)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                 _("template “%s” version %d is %s, not approved: a record can only use an approved template version"),
                 sqlite3_column_text (stmt, 0), sqlite3_column_int (stmt, 1), sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
check_standard (CbStore  *store,
                gint64    standard_id,
                GError  **error)
{
  return cb_store_standard_check_usable (store, standard_id, NULL, error) == CB_STANDARD_USABLE;
}

gint64
cb_store_record_create (CbStore       *store,
                        gint64         task_id,
                        gint64         template_version_id,
                        gint64         performer_id,
                        const gint64  *standards,
                        guint          n_standards,
                        GError       **error)
{
  g_autofree char *item = NULL;
  g_autofree char *task_text = g_strdup_printf ("%lld", (long long) task_id);
  g_autofree char *version_text = g_strdup_printf ("%lld", (long long) template_version_id);
  g_autofree char *performer_text = g_strdup_printf ("%lld", (long long) performer_id);
  g_autofree char *used_at = now_utc ();
  const char *fields[] = { "task_id", "template_version_id", "performer_id", "state" };
  const char *values[] = { task_text, version_text, performer_text, "draft" };
  sqlite3_stmt *stmt;
  gint64 record;

  stmt = query_row (store,
                    "SELECT t.item, m.code, m.name, m.status FROM tasks t"
                    " LEFT JOIN methods m ON m.id = t.method_id WHERE t.id = ?1 AND t.voided = 0",
                    task_id);
  if (stmt == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                   _("task %lld does not exist"), (long long) task_id);
      return 0;
    }
  item = dup_column (stmt, 0);
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL &&
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "current") != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("method %s %s is %s: only current methods may be used"),
                   sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2), sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      return 0;
    }
  sqlite3_finalize (stmt);

  if (!check_template_version (store, template_version_id, error) ||
      !cb_store_check_authorisation (store, performer_id, item, "perform", error))
    return 0;
  for (guint i = 0; i < n_standards; i++)
    if (!check_standard (store, standards[i], error))
      return 0;

  if (!cb_store_begin (store, error))
    return 0;
  record = cb_store_insert (store, "records", fields, values, G_N_ELEMENTS (fields), NULL, error);
  if (record == 0)
    goto failed;
  for (guint i = 0; i < n_standards; i++)
    {
      g_autofree char *standard_text = g_strdup_printf ("%lld", (long long) standards[i]);
      g_autofree char *record_text = g_strdup_printf ("%lld", (long long) record);
      const char *usage_fields[] = { "standard_id", "record_id", "used_at" };
      const char *usage_values[] = { standard_text, record_text, used_at };

      if (cb_store_insert (store, "standard_usage", usage_fields, usage_values, 3, NULL, error) == 0)
        goto failed;
    }
  if (!cb_store_update (store, "tasks", task_id, "state", "measuring", _("record started"), error) ||
      !cb_store_commit (store, error))
    goto failed;
  return record;

failed:
  cb_store_rollback (store);
  return 0;
}

char *
cb_store_record_hash (CbStore  *store,
                      gint64    record_id,
                      GError  **error)
{
  sqlite3_stmt *stmt = query_row (store, "SELECT data, results FROM records WHERE id = ?1", record_id);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *data, *results;

  if (stmt == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                   _("record %lld does not exist"), (long long) record_id);
      return NULL;
    }
  data = (const char *) sqlite3_column_text (stmt, 0);
  results = (const char *) sqlite3_column_text (stmt, 1);
  /* Length-prefixed so that no two versions share their bytes. */
  {
    g_autofree char *bytes = g_strdup_printf ("%zu:%s;%zu:%s;", strlen (data ? data : ""), data ? data : "",
                                              strlen (results ? results : ""), results ? results : "");

    g_checksum_update (checksum, (const guchar *) bytes, -1);
  }
  sqlite3_finalize (stmt);
  return g_strdup (g_checksum_get_string (checksum));
}

typedef struct
{
  char   *state;
  char   *item;
  gint64  performer;
  gint64  task;
} RecordInfo;

static void
record_info_clear (RecordInfo *info)
{
  g_clear_pointer (&info->state, g_free);
  g_clear_pointer (&info->item, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RecordInfo, record_info_clear)

static gboolean
read_record (CbStore     *store,
             gint64       record_id,
             RecordInfo  *info,
             GError     **error)
{
  sqlite3_stmt *stmt = query_row (store,
                                  "SELECT r.state, t.item, r.performer_id, r.task_id FROM records r"
                                  " JOIN tasks t ON t.id = r.task_id WHERE r.id = ?1 AND r.voided = 0",
                                  record_id);

  if (stmt == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                   _("record %lld does not exist"), (long long) record_id);
      return FALSE;
    }
  info->state = dup_column (stmt, 0);
  info->item = dup_column (stmt, 1);
  info->performer = sqlite3_column_int64 (stmt, 2);
  info->task = sqlite3_column_int64 (stmt, 3);
  sqlite3_finalize (stmt);
  return TRUE;
}

/* The signer of the record's valid signature of @meaning, or 0. */
static gint64
valid_signer (CbStore    *store,
              gint64      record_id,
              const char *meaning)
{
  sqlite3_stmt *stmt = NULL;
  gint64 signer = 0;

  sqlite3_prepare_v2 (store->db,
                      "SELECT signer_id FROM signatures WHERE record_id = ?1 AND meaning = ?2 AND voided = 0"
                      " ORDER BY id DESC LIMIT 1",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, record_id);
  sqlite3_bind_text (stmt, 2, meaning, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    signer = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return signer;
}

static gboolean
has_role (CbStore    *store,
          gint64      staff_id,
          const char *role)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  sqlite3_prepare_v2 (store->db, "SELECT 1 FROM staff_roles WHERE staff_id = ?1 AND role = ?2 AND voided = 0",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
void_signatures (CbStore     *store,
                 gint64       record_id,
                 const char  *reason,
                 GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (store->db, "SELECT id FROM signatures WHERE record_id = ?1 AND voided = 0", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, record_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < ids->len; i++)
    if (!cb_store_void (store, "signatures", g_array_index (ids, gint64, i), reason, error))
      return FALSE;
  return TRUE;
}

gboolean
cb_store_record_sign (CbStore        *store,
                      gint64          record_id,
                      gint64          signer_id,
                      CbSignMeaning   meaning,
                      const char     *password,
                      GError        **error)
{
  g_auto(RecordInfo) info = { 0 };
  g_autofree char *hash = NULL;
  g_autofree char *signed_at = now_utc ();
  g_autofree char *record_text = g_strdup_printf ("%lld", (long long) record_id);
  g_autofree char *signer_text = g_strdup_printf ("%lld", (long long) signer_id);
  g_autofree char *reason = NULL;
  const char *name = meaning_names[meaning];
  const char *fields[] = { "record_id", "record_hash", "signer_id", "meaning", "signed_at" };
  const char *values[5];

  g_return_val_if_fail (meaning <= CB_SIGN_APPROVED, FALSE);

  if (!read_record (store, record_id, &info, error))
    return FALSE;

  switch (meaning)
    {
    case CB_SIGN_PERFORMED:
      if (signer_id != info.performer)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                       _("only the performer of record %lld signs it as performed"), (long long) record_id);
          return FALSE;
        }
      if (!g_str_equal (info.state, "draft") && !g_str_equal (info.state, "returned"))
        goto out_of_order;
      break;

    case CB_SIGN_CHECKED:
      if (!g_str_equal (info.state, "performed"))
        goto out_of_order;
      if (signer_id == info.performer)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                       _("the checker of record %lld cannot be its performer"), (long long) record_id);
          return FALSE;
        }
      if (!cb_store_check_authorisation (store, signer_id, info.item, "check", error))
        return FALSE;
      break;

    case CB_SIGN_APPROVED:
      if (!g_str_equal (info.state, "checked"))
        goto out_of_order;
      if (signer_id == info.performer || signer_id == valid_signer (store, record_id, "checked"))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                       _("the approver of record %lld must be neither its performer nor its checker"),
                       (long long) record_id);
          return FALSE;
        }
      if (!has_role (store, signer_id, "approver"))
        {
          g_autofree char *signer = staff_name (store, signer_id);

          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION,
                       _("%s is not an authorised signatory"), signer);
          return FALSE;
        }
      if (!cb_store_check_authorisation (store, signer_id, info.item, "approve", error))
        return FALSE;
      break;

    default:
      g_assert_not_reached ();
    }

  /* The second component: the password again. */
  if (!cb_store_reauthenticate (store, signer_id, password, error))
    return FALSE;

  hash = cb_store_record_hash (store, record_id, error);
  if (hash == NULL)
    return FALSE;
  values[0] = record_text;
  values[1] = hash;
  values[2] = signer_text;
  values[3] = name;
  values[4] = signed_at;
  reason = g_strdup_printf (_("signed as %s"), name);

  if (!cb_store_begin (store, error))
    return FALSE;
  /* The task moves on with its record: to the checker, the approver, done. */
  if (cb_store_insert (store, "signatures", fields, values, G_N_ELEMENTS (fields), NULL, error) == 0 ||
      !cb_store_update (store, "records", record_id, "state", name, reason, error) ||
      !cb_store_update (store, "tasks", info.task, "state",
                        meaning == CB_SIGN_PERFORMED ? "to-check"
                        : meaning == CB_SIGN_CHECKED ? "to-approve" : "approved", reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);

out_of_order:
  g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
               _("record %lld is %s: it cannot be signed as %s (the order is performed → checked → approved)"),
               (long long) record_id, info.state, name);
  return FALSE;
}

gboolean
cb_store_record_return (CbStore     *store,
                        gint64       record_id,
                        gint64       staff_id,
                        const char  *reason,
                        GError     **error)
{
  g_auto(RecordInfo) info = { 0 };

  if (reason == NULL || strspn (reason, " \t\r\n") == strlen (reason))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED,
                   _("returning record %lld to its performer needs a reason"), (long long) record_id);
      return FALSE;
    }
  if (!read_record (store, record_id, &info, error))
    return FALSE;
  if (!g_str_equal (info.state, "performed") && !g_str_equal (info.state, "checked"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("record %lld is %s: only a record waiting for its check or approval can be returned"),
                   (long long) record_id, info.state);
      return FALSE;
    }
  if (staff_id == info.performer)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("the performer cannot return their own record %lld"), (long long) record_id);
      return FALSE;
    }
  if (!cb_store_check_authorisation (store, staff_id, info.item,
                                     g_str_equal (info.state, "performed") ? "check" : "approve", error))
    return FALSE;

  if (!cb_store_begin (store, error))
    return FALSE;
  if (!void_signatures (store, record_id, reason, error) ||
      !cb_store_update (store, "records", record_id, "return_reason", reason, reason, error) ||
      !cb_store_update (store, "records", record_id, "state", "returned", reason, error) ||
      !cb_store_update (store, "tasks", info.task, "state", "returned", reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

gboolean
cb_store_record_set_data (CbStore     *store,
                          gint64       record_id,
                          gint64       staff_id,
                          const char  *data,
                          const char  *results,
                          const char  *reason,
                          GError     **error)
{
  g_auto(RecordInfo) info = { 0 };
  g_autofree char *void_reason = NULL;

  if (!read_record (store, record_id, &info, error))
    return FALSE;
  if (staff_id != info.performer)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("only the performer changes the measured data of record %lld"), (long long) record_id);
      return FALSE;
    }
  if (g_str_equal (info.state, "approved"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("record %lld is approved: its data can no longer change"), (long long) record_id);
      return FALSE;
    }

  void_reason = g_strdup_printf (_("the data changed after signing: %s"), reason != NULL ? reason : "");
  if (!cb_store_begin (store, error))
    return FALSE;
  if (!cb_store_update (store, "records", record_id, "data", data, reason, error) ||
      !cb_store_update (store, "records", record_id, "results", results, reason, error))
    goto failed;
  /* The signatures covered the old data: they no longer hold. */
  if (!g_str_equal (info.state, "draft"))
    {
      if (!void_signatures (store, record_id, void_reason, error) ||
          !cb_store_update (store, "records", record_id, "state", "draft", void_reason, error))
        goto failed;
    }
  return cb_store_commit (store, error);

failed:
  cb_store_rollback (store);
  return FALSE;
}

static CbTemplate *
load_template (CbStore  *store,
               gint64    record_id,
               char    **data_out,
               char    **results_out,
               GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  CbTemplate *tmpl;
  int rc;

  stmt = cb_store_prepare_cached (store, "SELECT v.document, r.data, r.results, v.id FROM records r"
                                         " JOIN template_versions v ON v.id = r.template_version_id"
                                         " WHERE r.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND, _("no record %lld"), (long long) record_id);
      else
        cb_store_set_sqlite_error (store, error, "records");
      sqlite3_reset (stmt);
      return NULL;
    }
  tmpl = cb_template_new_from_data ((const char *) sqlite3_column_text (stmt, 0), -1, &local_error);
  if (tmpl == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("record %lld: its template version %lld: %s"), (long long) record_id,
                   (long long) sqlite3_column_int64 (stmt, 3), local_error->message);
      sqlite3_reset (stmt);
      return NULL;
    }
  *data_out = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  *results_out = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);
  return tmpl;
}

static JsonNode *
parse_json_text (const char  *text,
                 const char  *what,
                 gint64       record_id,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("record %lld: its %s are not JSON: %s"), (long long) record_id, what,
                   local_error->message);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* The header fields a template binds to the order, the sample and the task
 * that the record does not hold yet: filled from the store, never retyped. */
static gboolean
bind_header (CbStore   *store,
             gint64     record_id,
             CbRecord  *record,
             GError   **error)
{
  static const char *const binds[] = {
    "customer", "customer_address", "instrument", "model", "serial", "maker", "range",
    "accuracy", "method", "receipt_date", "performer", "sample_label", "measure_date",
  };
  CbTemplate *tmpl = cb_record_get_template (record);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_store_query (store,
                         "SELECT c.name, c.address, s.name, s.model, s.serial, s.maker, s.range_text,"
                         " s.accuracy_class, m.code, substr (s.received_at, 1, 10),"
                         " coalesce (p.printed_name, p.name), s.label,"
                         " (SELECT substr (min (g.taken_at), 1, 10) FROM readings g"
                         "  WHERE g.record_id = r.id AND g.voided = 0)"
                         " FROM records r JOIN tasks t ON t.id = r.task_id"
                         " JOIN samples s ON s.id = t.sample_id JOIN orders o ON o.id = s.order_id"
                         " JOIN customers c ON c.id = o.customer_id"
                         " LEFT JOIN methods m ON m.id = t.method_id"
                         " LEFT JOIN staff p ON p.id = r.performer_id WHERE r.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < cb_template_get_n_header (tmpl); i++)
      {
        const char *name = cb_template_get_header_name (tmpl, i);
        const char *bind = cb_template_get_header_bind (tmpl, i);
        const char *current = cb_record_get_header (record, name);

        if (current != NULL && *current != '\0')
          continue;
        for (guint b = 0; b < G_N_ELEMENTS (binds); b++)
          if (g_strcmp0 (bind, binds[b]) == 0 && sqlite3_column_type (stmt, (int) b) != SQLITE_NULL)
            cb_record_set_header (record, name, (const char *) sqlite3_column_text (stmt, (int) b), NULL);
      }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, "records");
      return FALSE;
    }
  return TRUE;
}

/* The record from its saved data; with @readings, the values entered since
 * the last save (the readings table) on top. */
static CbRecord *
load_record (CbStore   *store,
             gint64     record_id,
             gboolean   readings,
             GError   **error)
{
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(GPtrArray) entered = NULL;
  g_autofree char *data_text = NULL;
  g_autofree char *results_text = NULL;

  tmpl = load_template (store, record_id, &data_text, &results_text, error);
  if (tmpl == NULL)
    return NULL;
  data = parse_json_text (data_text != NULL ? data_text : "{}", _("data"), record_id, error);
  if (data == NULL)
    return NULL;
  record = cb_record_new_from_json (tmpl, data, &local_error);
  if (record == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("record %lld: %s"),
                   (long long) record_id, local_error->message);
      return NULL;
    }
  if (!readings)
    return g_steal_pointer (&record);

  /* A cell cleared since the save: all its readings voided. */
  {
    sqlite3_stmt *stmt = cb_store_query (store, "SELECT cell FROM readings WHERE record_id = ?"
                                                " GROUP BY cell HAVING SUM (voided = 0) = 0", error);
    int rc;

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, record_id);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *cell = (const char *) sqlite3_column_text (stmt, 0);
        CbCell current;

        if (cb_record_get_cell (record, cell, &current, NULL) && current.text != NULL)
          cb_record_set_value (record, cell, NULL, NULL);
      }
    sqlite3_finalize (stmt);
    if (rc != SQLITE_DONE)
      {
        cb_store_set_sqlite_error (store, error, "readings");
        return NULL;
      }
  }

  entered = cb_store_reading_list (store, record_id, error);
  if (entered == NULL)
    return NULL;
  for (guint i = 0; i < entered->len; i++)
    {
      CbStoredReading *reading = g_ptr_array_index (entered, i);
      CbCell cell;

      if (!cb_record_get_cell (record, reading->cell, &cell, &local_error))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("record %lld: reading %lld: %s"),
                       (long long) record_id, (long long) reading->id, local_error->message);
          return NULL;
        }
      if (g_strcmp0 (cell.text, reading->value) != 0
          && !cb_record_set_value (record, reading->cell, reading->value, &local_error))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("record %lld: reading %lld: %s"),
                       (long long) record_id, (long long) reading->id, local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&record);
}

CbRecord *
cb_store_record_load (CbStore  *store,
                      gint64    record_id,
                      GError  **error)
{
  g_autoptr(CbRecord) record = load_record (store, record_id, TRUE, error);

  if (record == NULL || !bind_header (store, record_id, record, error))
    return NULL;
  return g_steal_pointer (&record);
}

gboolean
cb_store_record_verify (CbStore  *store,
                        gint64    record_id,
                        GError  **error)
{
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data_text = NULL;
  g_autofree char *results_text = NULL;

  tmpl = load_template (store, record_id, &data_text, &results_text, error);
  if (tmpl == NULL)
    return FALSE;
  if (results_text == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_MISMATCH,
                   _("record %lld has no stored results to compare"), (long long) record_id);
      return FALSE;
    }
  record = load_record (store, record_id, FALSE, error);
  if (record == NULL)
    return FALSE;
  results = parse_json_text (results_text, _("results"), record_id, error);
  if (results == NULL)
    return FALSE;
  if (!cb_record_verify_results (record, results, &local_error))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_MISMATCH,
                   _("record %lld: the stored results differ from a recomputation: %s"),
                   (long long) record_id, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_store_record_save (CbStore     *store,
                      gint64       record_id,
                      gint64       staff_id,
                      CbRecord    *record,
                      const char  *reason,
                      GError     **error)
{
  g_autoptr(JsonNode) data = cb_record_to_json (record);
  g_autoptr(JsonNode) results = cb_record_results_to_json (record);
  g_autofree char *data_text = cb_json_to_text (data, FALSE);
  g_autofree char *results_text = cb_json_to_text (results, FALSE);

  return cb_store_record_set_data (store, record_id, staff_id, data_text, results_text, reason, error);
}

GArray *
cb_store_record_list_computed (CbStore  *store,
                               GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_store_prepare_cached (store, "SELECT id FROM records WHERE results IS NOT NULL ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, "records");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gint64
cb_store_record_find_for_task (CbStore  *store,
                               gint64    task_id,
                               GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM records WHERE task_id = ? AND voided = 0"
                                              " ORDER BY id DESC LIMIT 1", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, task_id);
  return cb_store_read_int (store, stmt, 0, error);
}
