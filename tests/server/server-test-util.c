/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "server-test-util.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-private.h"
#include "store/cb-store-staff.h"

static const struct { const char *login, *name, *role; } staff[] = {
  { "admin", "管理员", "admin" },
  { "zhang.wei", "张伟", "metrologist" },
  { "wang.fang", "王芳", "approver" },
  { "li.na", "李娜", "checker" },
  { "zhao.lei", "赵磊", "reception" },
};

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

TestLab *
test_lab_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  TestLab *lab = g_new0 (TestLab, 1);
  CbStore *store;

  lab->dir = g_dir_make_tmp ("calbench-server-XXXXXX", &error);
  g_assert_no_error (error);
  lab->config = cb_server_config_new ();
  lab->config->address = g_strdup ("127.0.0.1");
  lab->config->database = g_build_filename (lab->dir, "server.db", NULL);
  lab->config->tls_certificate = g_build_filename (lab->dir, "server.crt", NULL);
  lab->config->tls_key = g_build_filename (lab->dir, "server.key", NULL);
  lab->config->max_body = 256 * 1024;
  g_free (lab->config->status_secret);
  lab->config->status_secret = g_strdup ("0123456789abcdef0123");
  lab->config_path = g_build_filename (lab->dir, "server.conf", NULL);
  g_assert_true (cb_server_make_certificate (lab->config->tls_certificate, lab->config->tls_key, "localhost", &error));
  g_assert_no_error (error);
  test_lab_save_config (lab);

  store = cb_store_open (lab->config->database, &error);
  g_assert_no_error (error);
  cb_store_set_password_policy (store, CB_PASSWORD_POLICY_TEST);
  cb_store_set_actor (store, "admin", "calbench-server");
  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_autofree char *password = g_strconcat ("pw-", staff[i].login, NULL);
      gint64 id = cb_store_staff_add (store, staff[i].login, staff[i].name, NULL, &error);

      g_assert_no_error (error);
      cb_store_staff_add_role (store, id, staff[i].role, &error);
      g_assert_no_error (error);
      cb_store_set_password (store, id, password, "test account", &error);
      g_assert_no_error (error);
    }
  cb_store_close (store);

  lab->session = soup_session_new_with_options ("timeout", 30, NULL);
  database = g_tls_file_database_new (lab->config->tls_certificate, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (lab->session, database);
  return lab;
}

void
test_lab_save_config (TestLab *lab)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_server_config_save (lab->config, lab->config_path, &error));
  g_assert_no_error (error);
}

void
test_lab_free (TestLab *lab)
{
  if (lab == NULL)
    return;
  if (lab->process != NULL)
    test_lab_kill (lab);
  g_clear_object (&lab->server);
  g_clear_object (&lab->session);
  remove_tree (lab->dir);
  g_free (lab->dir);
  g_free (lab->config_path);
  g_free (lab->url);
  cb_server_config_free (lab->config);
  g_free (lab);
}

void
test_lab_start (TestLab *lab)
{
  g_autoptr(GError) error = NULL;

  lab->server = cb_server_new (lab->config, &error);
  g_assert_no_error (error);
  g_assert_true (cb_server_listen (lab->server, &error));
  g_assert_no_error (error);
  g_free (lab->url);
  lab->url = cb_server_get_url (lab->server);
}

void
test_lab_spawn (TestLab *lab)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  lab->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   CALBENCH_SERVER, "--config", lab->config_path, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (lab->process));
  /* The server prints its URL once it listens: no waiting by the clock. */
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (!g_str_has_prefix (line, "https://"));
  g_assert_true (g_str_has_prefix (line, "https://127.0.0.1:"));
  g_free (lab->url);
  lab->url = g_steal_pointer (&line);
}

void
test_lab_kill (TestLab *lab)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (lab->process, SIGKILL);
  g_subprocess_wait (lab->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&lab->process);
  /* Connections to the dead server are not reused. */
  soup_session_abort (lab->session);
}

CbStore *
test_lab_open_bench (TestLab    *lab,
                     const char *workstation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat (workstation, ".db", NULL);
  g_autofree char *path = g_build_filename (lab->dir, name, NULL);
  CbStore *store = cb_store_open (path, &error);

  g_assert_no_error (error);
  cb_store_set_actor (store, "zhang.wei", workstation);
  return store;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

char *
test_request (TestLab    *lab,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              guint      *status)
{
  g_autofree char *url = g_strconcat (lab->url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  soup_session_send_and_read_async (lab->session, message, G_PRIORITY_DEFAULT, NULL, on_sent, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  answer = soup_session_send_and_read_finish (lab->session, result, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

char *
test_login (TestLab    *lab,
            const char *login,
            const char *workstation)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"pw-%s\",\"workstation\":\"%s\"}",
                                           login, login, workstation);
  g_autofree char *answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint status = 0;

  answer = test_request (lab, "POST", "/api/v1/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, answer, -1, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"));
}

CbSyncClient *
test_client_new (TestLab    *lab,
                 CbStore    *bench,
                 const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = test_login (lab, login, cb_store_get_workstation (bench));
  CbSyncClient *client = cb_sync_client_new (bench, lab->url);

  g_assert_true (cb_sync_client_set_ca_file (client, lab->config->tls_certificate, &error));
  g_assert_no_error (error);
  cb_sync_client_set_token (client, token);
  return client;
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
test_sync (CbSyncClient  *client,
           CbSyncReport  *report,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cb_sync_client_sync_async (client, NULL, on_synced, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cb_sync_client_sync_finish (client, result, report, error);
}

gint64
test_count (CbStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}
