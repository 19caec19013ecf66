/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-audit.h"

typedef struct
{
  char    *dir;
  char    *path;
  CbStore *store;
  gint64   staff;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "login", "name" };
  const char *values[] = { "wang.fang", "王芳" };

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "lab.db", NULL);
  fixture->store = cb_store_open (fixture->path, &error);
  g_assert_no_error (error);
  cb_store_set_actor (fixture->store, "admin", "office-1");
  /* Tests hash with a low iteration count, by explicit request. */
  cb_store_set_password_policy (fixture->store, CB_PASSWORD_POLICY_TEST);
  fixture->staff = cb_store_insert (fixture->store, "staff", fields, values, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_set_password (fixture->store, fixture->staff, "量值传递2026", "new account", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->store, cb_store_close);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cb_store_login (fixture->store, "wang.fang", "量值传递2026", &error), ==, fixture->staff);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->path, "SELECT COUNT(*) FROM login_log WHERE success = 1 AND login = 'wang.fang'"), ==, 1);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cb_store_login (fixture->store, "wang.fang", "量值传递2025", &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  /* An unknown user gets the same answer. */
  g_assert_cmpint (cb_store_login (fixture->store, "nobody", "量值传递2026", &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
  g_assert_cmpint (count_rows (fixture->path, "SELECT COUNT(*) FROM login_log WHERE success = 0"), ==, 2);
}

static void
test_lockout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < CB_ACCOUNT_MAX_FAILURES; i++)
    {
      g_assert_cmpint (cb_store_login (fixture->store, "wang.fang", "guess-guess", NULL), ==, 0);
    }
  /* Now even the right password is refused, with the reason. */
  g_assert_cmpint (cb_store_login (fixture->store, "wang.fang", "量值传递2026", &error), ==, 0);
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  /* An administrator resets the password: the lock goes. */
  g_assert_true (cb_store_set_password (fixture->store, fixture->staff, "新的密码-2026", "locked out", &error));
  g_assert_cmpint (cb_store_login (fixture->store, "wang.fang", "新的密码-2026", &error), ==, fixture->staff);
  g_assert_no_error (error);
}

static void
test_reauthenticate (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_store_reauthenticate (fixture->store, fixture->staff, "量值传递2026", &error));
  g_assert_no_error (error);
  g_assert_false (cb_store_reauthenticate (fixture->store, fixture->staff, "wrong", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
}

static void
test_hash_not_in_trail (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) history = cb_store_audit_history (fixture->store, "accounts", fixture->staff, NULL, NULL);
  CbAuditEntry *entry;

  g_assert_cmpuint (history->len, ==, 1);
  entry = g_ptr_array_index (history, 0);
  g_assert_cmpstr (entry->field, ==, "password");
  g_assert_cmpstr (entry->new_value, ==, "set");
  /* Salts are unique: a second account with the same password differs. */
  {
    const char *fields[] = { "login", "name" };
    const char *values[] = { "li.qiang", "李强" };
    gint64 other = cb_store_insert (fixture->store, "staff", fields, values, 2, NULL, NULL);

    g_assert_true (cb_store_set_password (fixture->store, other, "量值传递2026", "new account", NULL));
    g_assert_cmpint (count_rows (fixture->path, "SELECT COUNT(DISTINCT salt) FROM accounts"), ==, 2);
    g_assert_cmpint (count_rows (fixture->path, "SELECT COUNT(DISTINCT password_hash) FROM accounts"), ==, 2);
  }
  g_assert_true (cb_store_audit_verify (fixture->store, NULL, NULL));
  g_assert_true (cb_store_audit_verify_rows (fixture->store, NULL));
}

static void
test_production_policy (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cb_store_set_password_policy (fixture->store, CB_PASSWORD_POLICY_PRODUCTION);
  g_assert_true (cb_store_set_password (fixture->store, fixture->staff, "量值传递2027", "rotation", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->path, "SELECT iterations FROM accounts"), >=, CB_ACCOUNT_MIN_ITERATIONS);

  g_assert_false (cb_store_set_password (fixture->store, fixture->staff, "short", "rotation", &error));
  g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/accounts/login", test_login);
  ADD ("/store/accounts/wrong-password", test_wrong_password);
  ADD ("/store/accounts/lockout", test_lockout);
  ADD ("/store/accounts/reauthenticate", test_reauthenticate);
  ADD ("/store/accounts/hash-not-in-trail", test_hash_not_in_trail);
  ADD ("/store/accounts/production-policy", test_production_policy);
#undef ADD

  return g_test_run ();
}
