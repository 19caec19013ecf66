/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"
#include "cb-store-staff.h"
#include "core/cb-template.h"
#include "cb-store-templates.h"

void
cb_stored_template_free (CbStoredTemplate *template_)
{
  if (template_ == NULL)
    return;
  g_free (template_->name);
  g_free (template_->item);
  g_free (template_);
}

void
cb_stored_template_version_free (CbStoredTemplateVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->document);
  g_free (version->state);
  g_free (version->approved_at);
  g_free (version);
}

static gpointer
read_template (sqlite3_stmt *stmt)
{
  CbStoredTemplate *template_ = g_new0 (CbStoredTemplate, 1);

  template_->id = sqlite3_column_int64 (stmt, 0);
  template_->name = cb_store_column_dup (stmt, 1);
  template_->item = cb_store_column_dup (stmt, 2);
  template_->method_id = sqlite3_column_int64 (stmt, 3);
  return template_;
}

#define VERSION_COLUMNS "id, template_id, version, document, state, author_id, approved_by, approved_at"

static gpointer
read_version (sqlite3_stmt *stmt)
{
  CbStoredTemplateVersion *version = g_new0 (CbStoredTemplateVersion, 1);

  version->id = sqlite3_column_int64 (stmt, 0);
  version->template_id = sqlite3_column_int64 (stmt, 1);
  version->version = sqlite3_column_int64 (stmt, 2);
  version->document = cb_store_column_dup (stmt, 3);
  version->state = cb_store_column_dup (stmt, 4);
  version->author_id = sqlite3_column_int64 (stmt, 5);
  version->approved_by = sqlite3_column_int64 (stmt, 6);
  version->approved_at = cb_store_column_dup (stmt, 7);
  return version;
}

gint64
cb_store_template_add (CbStore     *store,
                       const char  *name,
                       const char  *item,
                       gint64       method_id,
                       GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("templates");

  if (!cb_store_expect_text (name, _("template name"), _("a non-empty name"), error) ||
      !cb_store_expect_text (item, _("template item"), _("the name of an item"), error) ||
      (method_id != 0 &&
       !cb_store_expect_row (store, "methods", method_id, _("template method"), _("an existing method"), error)))
    return 0;
  cb_store_row_text (row, "name", name);
  cb_store_row_text (row, "item", item);
  cb_store_row_id (row, "method_id", method_id);
  return cb_store_row_insert (store, row, NULL, error);
}

CbStoredTemplate *
cb_store_template_get (CbStore  *store,
                       gint64    template_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, name, item, method_id FROM templates WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, template_id);
  return cb_store_read_one (store, stmt, read_template, _("template"), template_id, error);
}

GPtrArray *
cb_store_template_list (CbStore     *store,
                        const char  *item,
                        GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, name, item, method_id FROM templates"
                                       " WHERE voided = 0 AND (?1 IS NULL OR item = ?1) ORDER BY item, name, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_template, (GDestroyNotify) cb_stored_template_free, error);
}

/* A version's document must be a template the record engine accepts. */
static gboolean
check_document (const char  *document,
                GError     **error)
{
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autoptr(GError) local_error = NULL;

  tmpl = cb_template_new_from_data (document, -1, &local_error);
  if (tmpl == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("template document: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gint64
cb_store_template_version_add (CbStore     *store,
                               gint64       template_id,
                               gint64       author_id,
                               const char  *document,
                               GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("template_versions");
  sqlite3_stmt *stmt;
  gint64 id;

  if (!cb_store_expect_row (store, "templates", template_id, _("template version's template"), _("an existing template"), error) ||
      !cb_store_expect_row (store, "staff", author_id, _("template author"), _("an existing staff member"), error) ||
      !cb_store_expect_text (document, _("template document"), _("the template's JSON document"), error) ||
      !check_document (document, error))
    return 0;

  if (!cb_store_begin (store, error))
    return 0;
  stmt = cb_store_query (store, "SELECT MAX (version) FROM template_versions WHERE template_id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, template_id);
  cb_store_row_id (row, "template_id", template_id);
  cb_store_row_int (row, "version", cb_store_read_int (store, stmt, 0, NULL) + 1);
  cb_store_row_text (row, "document", document);
  cb_store_row_id (row, "author_id", author_id);
  id = cb_store_row_insert (store, row, NULL, error);
  if (id == 0 || !cb_store_commit (store, error))
    goto failed;
  return id;

failed:
  cb_store_rollback (store);
  return 0;
}

CbStoredTemplateVersion *
cb_store_template_version_get (CbStore  *store,
                               gint64    version_id,
                               GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " VERSION_COLUMNS " FROM template_versions WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, version_id);
  return cb_store_read_one (store, stmt, read_version, _("template version"), version_id, error);
}

GPtrArray *
cb_store_template_version_list (CbStore  *store,
                                gint64    template_id,
                                GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " VERSION_COLUMNS " FROM template_versions"
                                       " WHERE template_id = ?1 AND voided = 0 ORDER BY version",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, template_id);
  return cb_store_read_all (store, stmt, read_version, (GDestroyNotify) cb_stored_template_version_free, error);
}

/* The version, if it is in @state. */
static CbStoredTemplateVersion *
version_in_state (CbStore     *store,
                  gint64       version_id,
                  const char  *state,
                  const char  *action,
                  GError     **error)
{
  g_autoptr(CbStoredTemplateVersion) version = cb_store_template_version_get (store, version_id, error);

  if (version == NULL)
    return NULL;
  if (!g_str_equal (version->state, state))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("template version %lld is %s: only a %s version can be %s"),
                   (long long) version->version, version->state, state, action);
      return NULL;
    }
  return g_steal_pointer (&version);
}

gboolean
cb_store_template_version_edit (CbStore     *store,
                                gint64       version_id,
                                gint64       staff_id,
                                const char  *document,
                                const char  *reason,
                                GError     **error)
{
  g_autoptr(CbStoredTemplateVersion) version = version_in_state (store, version_id, "draft", _("edited"), error);

  if (version == NULL ||
      !cb_store_expect_text (document, _("template document"), _("the template's JSON document"), error) ||
      !check_document (document, error))
    return FALSE;
  if (staff_id != version->author_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("template version %lld: only its author edits it"), (long long) version->version);
      return FALSE;
    }
  return cb_store_update (store, "template_versions", version_id, "document", document, reason, error);
}

gboolean
cb_store_template_version_submit (CbStore  *store,
                                  gint64    version_id,
                                  gint64    staff_id,
                                  GError  **error)
{
  g_autoptr(CbStoredTemplateVersion) version = version_in_state (store, version_id, "draft", _("submitted"), error);

  if (version == NULL)
    return FALSE;
  if (staff_id != version->author_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("template version %lld: only its author submits it for approval"),
                   (long long) version->version);
      return FALSE;
    }
  return cb_store_update (store, "template_versions", version_id, "state", "submitted",
                          _("submitted for approval"), error);
}

static gboolean
expect_approver (CbStore            *store,
                 CbStoredTemplateVersion  *version,
                 gint64              staff_id,
                 GError            **error)
{
  if (staff_id == version->author_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("template version %lld: its author cannot approve it; another approver must"),
                   (long long) version->version);
      return FALSE;
    }
  if (!cb_store_staff_has_role (store, staff_id, "approver"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION,
                   _("template version %lld: staff member %lld is not an approver"),
                   (long long) version->version, (long long) staff_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_store_template_version_reject (CbStore     *store,
                                  gint64       version_id,
                                  gint64       staff_id,
                                  const char  *reason,
                                  GError     **error)
{
  g_autoptr(CbStoredTemplateVersion) version = version_in_state (store, version_id, "submitted", _("sent back"), error);

  if (version == NULL ||
      !cb_store_expect_text (reason, _("template rejection reason"), _("what the author must change"), error) ||
      !expect_approver (store, version, staff_id, error))
    return FALSE;
  return cb_store_update (store, "template_versions", version_id, "state", "draft", reason, error);
}

gboolean
cb_store_template_version_approve (CbStore  *store,
                                   gint64    version_id,
                                   gint64    approver_id,
                                   GError  **error)
{
  g_autoptr(CbStoredTemplateVersion) version = version_in_state (store, version_id, "submitted", _("approved"), error);
  g_autofree char *now = cb_store_now_utc ();
  g_autofree char *retire_reason = NULL;
  gint64 previous;

  if (version == NULL || !expect_approver (store, version, approver_id, error))
    return FALSE;
  retire_reason = g_strdup_printf (_("replaced by version %lld"), (long long) version->version);

  if (!cb_store_begin (store, error))
    return FALSE;
  previous = cb_store_template_current_version (store, version->template_id, error);
  if ((previous != 0 &&
       !cb_store_update (store, "template_versions", previous, "state", "retired", retire_reason, error)) ||
      !cb_store_update_int (store, "template_versions", version_id, "approved_by", approver_id, _("approved"), error) ||
      !cb_store_update (store, "template_versions", version_id, "approved_at", now, _("approved"), error) ||
      !cb_store_update (store, "template_versions", version_id, "state", "approved", _("approved"), error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

gboolean
cb_store_template_version_retire (CbStore     *store,
                                  gint64       version_id,
                                  const char  *reason,
                                  GError     **error)
{
  g_autoptr(CbStoredTemplateVersion) version = version_in_state (store, version_id, "approved", _("retired"), error);

  if (version == NULL)
    return FALSE;
  return cb_store_update (store, "template_versions", version_id, "state", "retired", reason, error);
}

gint64
cb_store_template_current_version (CbStore  *store,
                                   gint64    template_id,
                                   GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id FROM template_versions WHERE template_id = ?1 AND state = 'approved'"
                                       " AND voided = 0 ORDER BY version DESC LIMIT 1",
                                       error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, template_id);
  return cb_store_read_int (store, stmt, 0, error);
}
