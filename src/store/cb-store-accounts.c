/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <glib/gi18n-lib.h>

#include "cb-store-accounts.h"
#include "cb-store-staff.h"
#include "cb-store-private.h"

#define SALT_LENGTH 16
#define HASH_LENGTH 32
#define TEST_ITERATIONS 1000

void
cb_store_set_password_policy (CbStore          *store,
                              CbPasswordPolicy  policy)
{
  store->password_iterations = policy == CB_PASSWORD_POLICY_TEST ? TEST_ITERATIONS
                                                                  : CB_ACCOUNT_MIN_ITERATIONS;
}

static gboolean
derive (const char  *password,
        const guint8 *salt,
        guint         iterations,
        guint8       *hash,
        GError      **error)
{
  gnutls_datum_t key = { (unsigned char *) password, (unsigned int) strlen (password) };
  gnutls_datum_t salt_datum = { (unsigned char *) salt, SALT_LENGTH };
  int rc = gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt_datum, iterations, hash, HASH_LENGTH);

  if (rc < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_IO,
                   _("password hashing failed: %s"), gnutls_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

/* Compares every byte whatever the first difference, so the time taken
 * tells nothing about the hash. */
static gboolean
equal_in_constant_time (const guint8 *a,
                        const guint8 *b,
                        gsize         length)
{
  guint8 difference = 0;

  for (gsize i = 0; i < length; i++)
    difference |= a[i] ^ b[i];
  return difference == 0;
}

static char *
utc_now_plus (int minutes)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_minutes (now, minutes);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
cb_store_set_password (CbStore     *store,
                       gint64       staff_id,
                       const char  *password,
                       const char  *reason,
                       GError     **error)
{
  guint8 salt[SALT_LENGTH];
  guint8 hash[HASH_LENGTH];
  sqlite3_stmt *stmt = NULL;
  gboolean existed;
  int rc;

  if (password == NULL || g_utf8_strlen (password, -1) < 8)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("password: expected at least 8 characters"));
      return FALSE;
    }
  rc = gnutls_rnd (GNUTLS_RND_RANDOM, salt, sizeof salt);
  if (rc < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_IO,
                   _("no random salt for the password: %s"), gnutls_strerror (rc));
      return FALSE;
    }
  if (!derive (password, salt, store->password_iterations, hash, error))
    return FALSE;

  if (!cb_store_begin (store, error))
    return FALSE;

  sqlite3_prepare_v2 (store->db, "SELECT 1 FROM accounts WHERE staff_id = ?1", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, staff_id);
  existed = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (store->db,
                      "INSERT INTO accounts (staff_id, password_hash, salt, iterations, failures, locked_until)"
                      " VALUES (?1, ?2, ?3, ?4, 0, NULL)"
                      " ON CONFLICT (staff_id) DO UPDATE SET password_hash = ?2, salt = ?3,"
                      " iterations = ?4, failures = 0, locked_until = NULL",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_blob (stmt, 2, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, salt, sizeof salt, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, (int) store->password_iterations);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("accounts"));
      cb_store_rollback (store);
      return FALSE;
    }

  /* The trail says that the password changed, never what it is. */
  if (!cb_store_audit_append (store, "accounts", staff_id, "password", existed ? "update" : "insert",
                              NULL, existed ? "changed" : "set", reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

static void
log_attempt (CbStore    *store,
             const char *login,
             gboolean    success,
             const char *detail)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *utc = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  const char *fields[] = { "login", "utc", "workstation", "success", "detail" };
  const char *values[] = { login, utc, store->workstation, success ? "1" : "0", detail };

  /* A failure to log must not hide the login's own outcome. */
  cb_store_insert (store, "login_log", fields, values, G_N_ELEMENTS (fields), NULL, NULL);
}

/* Checks a password for a staff id; counts failures and locks. */
static gboolean
check_password (CbStore     *store,
                gint64       staff_id,
                const char  *login,
                const char  *password,
                GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *locked_until = NULL;
  guint8 salt[SALT_LENGTH];
  guint8 stored[HASH_LENGTH];
  guint8 hash[HASH_LENGTH];
  sqlite3_stmt *stmt = NULL;
  guint iterations;
  int failures;
  gboolean ok;

  sqlite3_prepare_v2 (store->db,
                      "SELECT password_hash, salt, iterations, failures, locked_until FROM accounts"
                      " WHERE staff_id = ?1 AND voided = 0",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, staff_id);
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      sqlite3_column_bytes (stmt, 0) != HASH_LENGTH ||
      sqlite3_column_bytes (stmt, 1) != SALT_LENGTH)
    {
      sqlite3_finalize (stmt);
      log_attempt (store, login, FALSE, "no account");
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION,
                   _("unknown user or wrong password"));
      return FALSE;
    }
  memcpy (stored, sqlite3_column_blob (stmt, 0), HASH_LENGTH);
  memcpy (salt, sqlite3_column_blob (stmt, 1), SALT_LENGTH);
  iterations = (guint) sqlite3_column_int (stmt, 2);
  failures = sqlite3_column_int (stmt, 3);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    locked_until = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  sqlite3_finalize (stmt);

  if (locked_until != NULL && strcmp (locked_until, now_text) > 0)
    {
      log_attempt (store, login, FALSE, "locked");
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION,
                   _("the account %s is locked after %d failed logins until %s (UTC); an administrator can unlock it"),
                   login, failures, locked_until);
      return FALSE;
    }

  if (!derive (password != NULL ? password : "", salt, iterations, hash, error))
    return FALSE;
  ok = equal_in_constant_time (hash, stored, HASH_LENGTH);

  if (ok)
    {
      sqlite3_prepare_v2 (store->db, "UPDATE accounts SET failures = 0, locked_until = NULL WHERE staff_id = ?1",
                          -1, &stmt, NULL);
      sqlite3_bind_int64 (stmt, 1, staff_id);
    }
  else
    {
      g_autofree char *until = ++failures >= CB_ACCOUNT_MAX_FAILURES ? utc_now_plus (CB_ACCOUNT_LOCK_MINUTES) : NULL;

      sqlite3_prepare_v2 (store->db, "UPDATE accounts SET failures = ?2, locked_until = ?3 WHERE staff_id = ?1",
                          -1, &stmt, NULL);
      sqlite3_bind_int64 (stmt, 1, staff_id);
      sqlite3_bind_int (stmt, 2, failures);
      sqlite3_bind_text (stmt, 3, until, -1, SQLITE_TRANSIENT);
    }
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  log_attempt (store, login, ok, ok ? NULL : "wrong password");
  if (!ok)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION, _("unknown user or wrong password"));
  return ok;
}

gint64
cb_store_login (CbStore     *store,
                const char  *login,
                const char  *password,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 staff_id = 0;

  g_return_val_if_fail (login != NULL, 0);

  sqlite3_prepare_v2 (store->db, "SELECT id FROM staff WHERE login = ?1 AND voided = 0 AND active = 1",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    staff_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (staff_id == 0)
    {
      log_attempt (store, login, FALSE, "unknown user");
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION, _("unknown user or wrong password"));
      return 0;
    }
  if (!check_password (store, staff_id, login, password, error))
    return 0;
  return staff_id;
}

gboolean
cb_store_reauthenticate (CbStore     *store,
                         gint64       staff_id,
                         const char  *password,
                         GError     **error)
{
  g_autofree char *login = cb_store_get_field (store, "staff", staff_id, "login", error);

  if (login == NULL)
    return FALSE;
  return check_password (store, staff_id, login, password, error);
}

void
cb_credentials_free (CbCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->login);
  g_clear_pointer (&credentials->hash, g_bytes_unref);
  g_clear_pointer (&credentials->salt, g_bytes_unref);
  g_free (credentials->locked_until);
  g_free (credentials);
}

static gpointer
read_credentials (sqlite3_stmt *stmt)
{
  CbCredentials *credentials = g_new0 (CbCredentials, 1);

  credentials->login = cb_store_column_dup (stmt, 0);
  credentials->hash = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
  credentials->salt = g_bytes_new (sqlite3_column_blob (stmt, 2), (gsize) sqlite3_column_bytes (stmt, 2));
  credentials->iterations = (guint) sqlite3_column_int (stmt, 3);
  credentials->locked_until = cb_store_column_dup (stmt, 4);
  return credentials;
}

GPtrArray *
cb_store_credentials_export (CbStore  *store,
                             GError  **error)
{
  return cb_store_credentials_export_login (store, NULL, error);
}

GPtrArray *
cb_store_credentials_export_login (CbStore     *store,
                                   const char  *login,
                                   GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT s.login, a.password_hash, a.salt, a.iterations, a.locked_until"
                                              " FROM accounts a JOIN staff s ON s.id = a.staff_id"
                                              " WHERE a.voided = 0 AND s.active = 1 AND s.voided = 0"
                                              " AND (?1 IS NULL OR s.login = ?1) ORDER BY s.login",
                                       error);

  if (stmt == NULL)
    return NULL;
  if (login != NULL)
    sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_credentials, (GDestroyNotify) cb_credentials_free, error);
}

gboolean
cb_store_credentials_import (CbStore    *store,
                             GPtrArray  *credentials,
                             GError    **error)
{
  g_return_val_if_fail (credentials != NULL, FALSE);

  if (!cb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < credentials->len; i++)
    {
      const CbCredentials *c = g_ptr_array_index (credentials, i);
      gint64 staff_id = c->login != NULL ? cb_store_staff_find (store, c->login, NULL) : 0;
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (staff_id == 0)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                       _("credentials of “%s”: nobody of that login is here yet (pull the server's changes first)"),
                       c->login != NULL ? c->login : "");
          goto failed;
        }
      if (c->hash == NULL || g_bytes_get_size (c->hash) != HASH_LENGTH
          || c->salt == NULL || g_bytes_get_size (c->salt) != SALT_LENGTH || c->iterations == 0)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                       _("credentials of “%s”: expected a %d-byte hash, a %d-byte salt and a number of iterations"),
                       c->login, HASH_LENGTH, SALT_LENGTH);
          goto failed;
        }
      sqlite3_prepare_v2 (store->db,
                          "INSERT INTO accounts (staff_id, password_hash, salt, iterations, failures, locked_until)"
                          " VALUES (?1, ?2, ?3, ?4, 0, ?5)"
                          " ON CONFLICT (staff_id) DO UPDATE SET password_hash = ?2, salt = ?3,"
                          " iterations = ?4, locked_until = ?5",
                          -1, &stmt, NULL);
      sqlite3_bind_int64 (stmt, 1, staff_id);
      sqlite3_bind_blob (stmt, 2, g_bytes_get_data (c->hash, NULL), HASH_LENGTH, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 3, g_bytes_get_data (c->salt, NULL), SALT_LENGTH, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, (int) MIN (c->iterations, (guint) G_MAXINT));
      if (c->locked_until != NULL)
        sqlite3_bind_text (stmt, 5, c->locked_until, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          cb_store_set_sqlite_error (store, error, _("accounts"));
          goto failed;
        }
    }
  return cb_store_commit (store, error);

failed:
  cb_store_rollback (store);
  return FALSE;
}
