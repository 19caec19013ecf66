/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-methods.h"
#include "cb-store-private.h"

static const char * const method_kinds[] = {
  "verification-regulation", "calibration-specification", "standard", "in-house", NULL
};

void
cb_method_free (CbMethod *method)
{
  if (method == NULL)
    return;
  g_free (method->code);
  g_free (method->name);
  g_free (method->kind);
  g_free (method->status);
  g_free (method->effective_from);
  g_free (method->withdrawn_on);
  g_free (method);
}

#define METHOD_COLUMNS "id, code, name, kind, status, effective_from, withdrawn_on, superseded_by"

static gpointer
read_method (sqlite3_stmt *stmt)
{
  CbMethod *method = g_new0 (CbMethod, 1);

  method->id = sqlite3_column_int64 (stmt, 0);
  method->code = cb_store_column_dup (stmt, 1);
  method->name = cb_store_column_dup (stmt, 2);
  method->kind = cb_store_column_dup (stmt, 3);
  method->status = cb_store_column_dup (stmt, 4);
  method->effective_from = cb_store_column_dup (stmt, 5);
  method->withdrawn_on = cb_store_column_dup (stmt, 6);
  method->superseded_by = sqlite3_column_int64 (stmt, 7);
  return method;
}

gint64
cb_store_method_add (CbStore     *store,
                     const char  *code,
                     const char  *name,
                     const char  *kind,
                     const char  *effective_from,
                     GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("methods");
  g_autoptr(GError) local_error = NULL;

  if (!cb_store_expect_text (code, _("method code"), _("a code such as JJG 52-2013"), error) ||
      !cb_store_expect_text (name, _("method name"), _("a non-empty name"), error) ||
      !cb_store_expect_one_of (kind, method_kinds, _("method kind"), error) ||
      !cb_store_expect_date (effective_from, TRUE, _("method effective from"), error))
    return 0;
  if (cb_store_method_find_current (store, code, &local_error) != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("method code: %s is already a current method"), code);
      return 0;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  cb_store_row_text (row, "code", code);
  cb_store_row_text (row, "name", name);
  cb_store_row_text (row, "kind", kind);
  cb_store_row_text (row, "effective_from", effective_from);
  return cb_store_row_insert (store, row, NULL, error);
}

CbMethod *
cb_store_method_get (CbStore  *store,
                     gint64    method_id,
                     GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " METHOD_COLUMNS " FROM methods WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, method_id);
  return cb_store_read_one (store, stmt, read_method, _("method"), method_id, error);
}

gint64
cb_store_method_find_current (CbStore     *store,
                              const char  *code,
                              GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id FROM methods WHERE code = ?1 AND status = 'current' AND voided = 0"
                                       " ORDER BY id DESC LIMIT 1",
                                       error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return cb_store_read_int (store, stmt, 0, error);
}

GPtrArray *
cb_store_method_list (CbStore   *store,
                      gboolean   include_withdrawn,
                      GError   **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " METHOD_COLUMNS " FROM methods"
                                       " WHERE voided = 0 AND (?1 OR status = 'current') ORDER BY code, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_withdrawn);
  return cb_store_read_all (store, stmt, read_method, (GDestroyNotify) cb_method_free, error);
}

gboolean
cb_store_method_withdraw (CbStore     *store,
                          gint64       method_id,
                          const char  *withdrawn_on,
                          gint64       superseded_by,
                          const char  *reason,
                          GError     **error)
{
  g_autoptr(CbMethod) method = cb_store_method_get (store, method_id, error);

  if (method == NULL || !cb_store_expect_date (withdrawn_on, FALSE, _("method withdrawn on"), error))
    return FALSE;
  if (!g_str_equal (method->status, "current"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("method %s is already %s"), method->code, method->status);
      return FALSE;
    }
  if (superseded_by != 0)
    {
      g_autoptr(CbMethod) successor = cb_store_method_get (store, superseded_by, error);

      if (successor == NULL)
        return FALSE;
      if (superseded_by == method_id || !g_str_equal (successor->status, "current"))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                       _("method superseded by: expected another current method, not %s (%s)"),
                       successor->code, successor->status);
          return FALSE;
        }
    }

  if (!cb_store_begin (store, error))
    return FALSE;
  if (!cb_store_update (store, "methods", method_id, "withdrawn_on", withdrawn_on, reason, error) ||
      (superseded_by != 0 &&
       !cb_store_update_int (store, "methods", method_id, "superseded_by", superseded_by, reason, error)) ||
      !cb_store_update (store, "methods", method_id, "status", superseded_by != 0 ? "superseded" : "withdrawn",
                        reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}
