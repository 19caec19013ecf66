/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"
#include "cb-store-staff.h"

static const char * const roles[] = { "reception", "metrologist", "checker", "approver", "admin", NULL };
static const char * const kinds[] = { "perform", "check", "approve", NULL };

void
cb_staff_free (CbStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->login);
  g_free (staff->name);
  g_free (staff->printed_name);
  g_strfreev (staff->roles);
  g_free (staff);
}

void
cb_qualification_free (CbQualification *qualification)
{
  if (qualification == NULL)
    return;
  g_free (qualification->certificate_no);
  g_free (qualification->discipline);
  g_free (qualification->issuer);
  g_free (qualification->valid_from);
  g_free (qualification->valid_until);
  g_free (qualification);
}

void
cb_authorisation_free (CbAuthorisation *authorisation)
{
  if (authorisation == NULL)
    return;
  g_free (authorisation->item);
  g_free (authorisation->kind);
  g_free (authorisation->valid_from);
  g_free (authorisation->valid_until);
  g_free (authorisation);
}

#define STAFF_COLUMNS \
  "s.id, s.login, s.name, s.printed_name, s.active," \
  " (SELECT group_concat (role, ',') FROM (SELECT role FROM staff_roles r" \
  "   WHERE r.staff_id = s.id AND r.voided = 0 ORDER BY r.id))"

static gpointer
read_staff (sqlite3_stmt *stmt)
{
  CbStaff *staff = g_new0 (CbStaff, 1);
  const char *role_list = (const char *) sqlite3_column_text (stmt, 5);

  staff->id = sqlite3_column_int64 (stmt, 0);
  staff->login = cb_store_column_dup (stmt, 1);
  staff->name = cb_store_column_dup (stmt, 2);
  staff->printed_name = cb_store_column_dup (stmt, 3);
  staff->active = sqlite3_column_int (stmt, 4) != 0;
  staff->roles = role_list != NULL ? g_strsplit (role_list, ",", -1) : g_new0 (char *, 1);
  return staff;
}

static gpointer
read_qualification (sqlite3_stmt *stmt)
{
  CbQualification *qualification = g_new0 (CbQualification, 1);

  qualification->id = sqlite3_column_int64 (stmt, 0);
  qualification->staff_id = sqlite3_column_int64 (stmt, 1);
  qualification->certificate_no = cb_store_column_dup (stmt, 2);
  qualification->discipline = cb_store_column_dup (stmt, 3);
  qualification->issuer = cb_store_column_dup (stmt, 4);
  qualification->valid_from = cb_store_column_dup (stmt, 5);
  qualification->valid_until = cb_store_column_dup (stmt, 6);
  return qualification;
}

static gpointer
read_authorisation (sqlite3_stmt *stmt)
{
  CbAuthorisation *authorisation = g_new0 (CbAuthorisation, 1);

  authorisation->id = sqlite3_column_int64 (stmt, 0);
  authorisation->staff_id = sqlite3_column_int64 (stmt, 1);
  authorisation->item = cb_store_column_dup (stmt, 2);
  authorisation->kind = cb_store_column_dup (stmt, 3);
  authorisation->valid_from = cb_store_column_dup (stmt, 4);
  authorisation->valid_until = cb_store_column_dup (stmt, 5);
  return authorisation;
}

static gboolean
is_login (const char *login)
{
  if (login == NULL || *login == '\0')
    return FALSE;
  for (const char *p = login; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

gint64
cb_store_staff_add (CbStore     *store,
                    const char  *login,
                    const char  *name,
                    const char  *printed_name,
                    GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("staff");

  if (!is_login (login))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("staff login: expected letters, digits, dots, dashes or underscores, not “%s”"),
                   login != NULL ? login : "");
      return 0;
    }
  if (!cb_store_expect_text (name, _("staff name"), _("a non-empty name"), error))
    return 0;
  if (cb_store_staff_find (store, login, NULL) != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("staff login: “%s” is already taken"), login);
      return 0;
    }
  cb_store_row_text (row, "login", login);
  cb_store_row_text (row, "name", name);
  cb_store_row_text (row, "printed_name", printed_name);
  return cb_store_row_insert (store, row, NULL, error);
}

CbStaff *
cb_store_staff_get (CbStore  *store,
                    gint64    staff_id,
                    GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = ?1 AND s.voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  return cb_store_read_one (store, stmt, read_staff, _("staff member"), staff_id, error);
}

gint64
cb_store_staff_find (CbStore     *store,
                     const char  *login,
                     GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT id FROM staff WHERE login = ?1 AND voided = 0", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  return cb_store_read_int (store, stmt, 0, error);
}

GPtrArray *
cb_store_staff_list (CbStore   *store,
                     gboolean   include_inactive,
                     GError   **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " STAFF_COLUMNS " FROM staff s"
                                       " WHERE s.voided = 0 AND (?1 OR s.active = 1) ORDER BY s.name, s.id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_inactive);
  return cb_store_read_all (store, stmt, read_staff, (GDestroyNotify) cb_staff_free, error);
}

gboolean
cb_store_staff_set_active (CbStore     *store,
                           gint64       staff_id,
                           gboolean     active,
                           const char  *reason,
                           GError     **error)
{
  if (!cb_store_expect_row (store, "staff", staff_id, _("staff member"), _("an existing staff member"), error))
    return FALSE;
  return cb_store_update (store, "staff", staff_id, "active", active ? "1" : "0", reason, error);
}

gint64
cb_store_staff_add_role (CbStore     *store,
                         gint64       staff_id,
                         const char  *role,
                         GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("staff_roles");

  if (!cb_store_expect_row (store, "staff", staff_id, _("role holder"), _("an existing staff member"), error) ||
      !cb_store_expect_one_of (role, roles, _("staff role"), error))
    return 0;
  cb_store_row_id (row, "staff_id", staff_id);
  cb_store_row_text (row, "role", role);
  return cb_store_row_insert (store, row, NULL, error);
}

gboolean
cb_store_staff_has_role (CbStore    *store,
                         gint64      staff_id,
                         const char *role)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT COUNT(*) FROM staff_roles r JOIN staff s ON s.id = r.staff_id"
                                       " WHERE r.staff_id = ?1 AND r.role = ?2 AND r.voided = 0"
                                       " AND s.voided = 0 AND s.active = 1",
                                       NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  return cb_store_read_int (store, stmt, 0, NULL) > 0;
}

static gboolean
expect_period (const char  *valid_from,
               gboolean     from_optional,
               const char  *valid_until,
               const char  *what,
               GError     **error)
{
  if (!cb_store_expect_date (valid_from, from_optional, what, error) ||
      !cb_store_expect_date (valid_until, FALSE, what, error))
    return FALSE;
  if (valid_from != NULL && g_strcmp0 (valid_from, valid_until) > 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: expected the period to end (%s) on or after its start (%s)"),
                   what, valid_until, valid_from);
      return FALSE;
    }
  return TRUE;
}

gint64
cb_store_qualification_add (CbStore     *store,
                            gint64       staff_id,
                            const char  *certificate_no,
                            const char  *discipline,
                            const char  *issuer,
                            const char  *valid_from,
                            const char  *valid_until,
                            GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("qualifications");

  if (!cb_store_expect_row (store, "staff", staff_id, _("qualification holder"), _("an existing staff member"), error) ||
      !cb_store_expect_text (certificate_no, _("qualification certificate number"), _("a non-empty number"), error) ||
      !cb_store_expect_text (discipline, _("qualification discipline"), _("a discipline, such as pressure"), error) ||
      !expect_period (valid_from, TRUE, valid_until, _("qualification validity"), error))
    return 0;
  cb_store_row_id (row, "staff_id", staff_id);
  cb_store_row_text (row, "certificate_no", certificate_no);
  cb_store_row_text (row, "discipline", discipline);
  cb_store_row_text (row, "issuer", issuer);
  cb_store_row_text (row, "valid_from", valid_from);
  cb_store_row_text (row, "valid_until", valid_until);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_qualification_list (CbStore  *store,
                             gint64    staff_id,
                             GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, staff_id, certificate_no, discipline, issuer, valid_from, valid_until"
                                       " FROM qualifications WHERE staff_id = ?1 AND voided = 0"
                                       " ORDER BY valid_until DESC, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  return cb_store_read_all (store, stmt, read_qualification, (GDestroyNotify) cb_qualification_free, error);
}

gint64
cb_store_authorisation_add (CbStore     *store,
                            gint64       staff_id,
                            const char  *item,
                            const char  *kind,
                            const char  *valid_from,
                            const char  *valid_until,
                            GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("authorisations");

  if (!cb_store_expect_row (store, "staff", staff_id, _("authorised person"), _("an existing staff member"), error) ||
      !cb_store_expect_text (item, _("authorisation item"), _("the name of an item"), error) ||
      !cb_store_expect_one_of (kind, kinds, _("authorisation kind"), error) ||
      !expect_period (valid_from, FALSE, valid_until, _("authorisation validity"), error))
    return 0;
  cb_store_row_id (row, "staff_id", staff_id);
  cb_store_row_text (row, "item", item);
  cb_store_row_text (row, "kind", kind);
  cb_store_row_text (row, "valid_from", valid_from);
  cb_store_row_text (row, "valid_until", valid_until);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_authorisation_list (CbStore  *store,
                             gint64    staff_id,
                             GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, staff_id, item, kind, valid_from, valid_until"
                                       " FROM authorisations WHERE staff_id = ?1 AND voided = 0"
                                       " ORDER BY item, kind, valid_until DESC",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  return cb_store_read_all (store, stmt, read_authorisation, (GDestroyNotify) cb_authorisation_free, error);
}
