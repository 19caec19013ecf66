/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "cb-session.h"
#include "server/server-test-util.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-staff.h"
#include "sync/cb-sync-codec.h"

/* The workstation's login with a lab server: the bench's store first,
 * then, for someone it does not know or whose password changed, the
 * server once; after that the bench lets them in offline. */

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
log_in (CbSession   *session,
        const char  *login,
        const char  *password,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cb_session_login_async (session, login, password, NULL, on_logged_in, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cb_session_login_finish (session, result, error);
}

static CbSession *
open_session (const char *path,
              TestLab    *lab)
{
  g_autoptr(GError) error = NULL;
  CbSession *session = cb_session_open (path, &error);

  g_assert_no_error (error);
  if (lab != NULL)
    {
      g_assert_true (cb_session_set_server (session, lab->url, lab->config->tls_certificate, &error));
      g_assert_no_error (error);
    }
  return session;
}

static void
test_online_login (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) admin = NULL;
  g_autofree char *path = NULL;
  CbStore *bench, *server;
  gint64 newcomer;

  test_lab_start (lab);
  server = cb_server_get_store (lab->server);

  /* Anyone's token brings their own credentials, and only theirs. */
  {
    g_autofree char *token = test_login (lab, "li.na", "bench-x");
    g_autofree char *answer = NULL;
    g_autoptr(GPtrArray) own = NULL;
    guint status = 0;

    answer = test_request (lab, "GET", "/api/v1/me/credentials", token, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    own = cb_sync_credentials_decode (answer, strlen (answer), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (own->len, ==, 1);
    g_assert_cmpstr (((CbCredentials *) g_ptr_array_index (own, 0))->login, ==, "li.na");
    g_free (answer);
    answer = test_request (lab, "GET", "/api/v1/me/credentials", NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 401);
  }

  /* A bench enrolled as the README's run command does. */
  bench = test_lab_open_bench (lab, "bench-a");
  path = g_strdup (cb_store_get_path (bench));
  admin = test_client_new (lab, bench, "admin");
  g_assert_true (test_sync (admin, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) credentials = cb_store_credentials_export (server, &error);

    g_assert_no_error (error);
    g_assert_true (cb_store_credentials_import (bench, credentials, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&admin);
  cb_store_close (bench);

  /* Since then the server took on a newcomer and zhang.wei changed his
   * password. */
  cb_store_set_actor (server, "admin", "server");
  newcomer = cb_store_staff_add (server, "qian.hao", "钱浩", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_staff_add_role (server, newcomer, "metrologist", &error), >, 0);
  g_assert_true (cb_store_set_password (server, newcomer, "pw-qian.hao", "new starter", &error));
  g_assert_true (cb_store_set_password (server, cb_store_staff_find (server, "zhang.wei", NULL), "pw-zhang.wei-2",
                                        "changed by its owner", &error));
  g_assert_no_error (error);

  /* Online: the newcomer is let in, and the bench learns of him. */
  {
    g_autoptr(CbSession) session = open_session (path, lab);

    g_assert_true (log_in (session, "qian.hao", "pw-qian.hao", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (cb_session_get_staff_name (session), ==, "钱浩");
    g_assert_true (cb_session_has_role (session, "metrologist"));
    cb_session_logout (session);

    /* The new password works, the old one no longer does, here or there. */
    g_assert_true (log_in (session, "zhang.wei", "pw-zhang.wei-2", &error));
    g_assert_no_error (error);
    cb_session_logout (session);
    g_assert_false (log_in (session, "zhang.wei", "pw-zhang.wei", &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
    g_clear_error (&error);

    /* Nobody of that name anywhere: the bench's own answer. */
    g_assert_false (log_in (session, "nobody", "pw", &error));
    g_assert_error (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION);
    g_assert_nonnull (strstr (error->message, "unknown user or wrong password"));
    g_clear_error (&error);
  }

  /* Offline (no server at all): both come in on what the bench learnt. */
  {
    g_autoptr(CbSession) session = open_session (path, NULL);

    g_assert_true (log_in (session, "qian.hao", "pw-qian.hao", &error));
    g_assert_no_error (error);
    cb_session_logout (session);
    g_assert_true (log_in (session, "zhang.wei", "pw-zhang.wei-2", &error));
    g_assert_no_error (error);
    cb_session_logout (session);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/online-login", test_online_login);

  return g_test_run ();
}
