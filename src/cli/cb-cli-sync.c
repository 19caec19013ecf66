/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "store/cb-store-sync.h"
#include "sync/cb-sync-client.h"

/* What the shell asked for, and what came back. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  char *newline;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  /* One line; the newline an editor adds is not part of it. */
  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  return g_steal_pointer (&contents);
}

static const char *
state_name (CbSyncState state)
{
  switch (state)
    {
    case CB_SYNC_STATE_SYNCED:   return "synced";
    case CB_SYNC_STATE_PENDING:  return "pending";
    case CB_SYNC_STATE_OFFLINE:  return "offline";
    case CB_SYNC_STATE_CONFLICT: return "conflict";
    default:                     return "?";
    }
}

int
cb_cli_sync (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *db = NULL, *server = NULL, *login = NULL, *password_file = NULL, *token = NULL;
  g_autofree char *ca_file = NULL, *workstation = NULL;
  g_autofree char *password = NULL;
  gboolean json = FALSE, logged_in = FALSE, enrol = FALSE, ok;
  gssize accounts = -1;
  CbSyncReport report = { 0, 0 };
  Wait wait = { loop, NULL };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The bench's lab database"), "FILE" },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server, https://HOST:PORT"), "URL" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_("Log in as LOGIN"), "LOGIN" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the password from FILE"), "FILE" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, N_("Use a token from an earlier login instead"), "TOKEN" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust the server certificate in FILE (PEM)"), "FILE" },
    { "workstation", 0, 0, G_OPTION_ARG_STRING, &workstation, N_("This bench's name (default: the host name)"), "NAME" },
    { "enrol", 0, 0, G_OPTION_ARG_NONE, &enrol,
      N_("Set up a new bench: make the database if there is none, pull the lab and take the people's credentials (an admin's login)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the outcome as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— push this bench's changes to the server and pull the server's"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (db == NULL || server == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db and --server are required"));
  if ((token == NULL) == (login == NULL || password_file == NULL))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("give --login with --password-file, or --token"));
  if (!g_str_has_prefix (server, "https://"))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--server %s: the server speaks HTTPS only"), server);
  if (!enrol && !g_file_test (db, G_FILE_TEST_EXISTS))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db %s: no such file (a new bench is set up with --enrol)"), db);
  if (password_file != NULL && (password = read_password (password_file, &error)) == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  store = cb_store_open (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  if (workstation != NULL)
    cb_store_set_actor (store, cb_store_get_actor (store), workstation);
  client = cb_sync_client_new (store, server);
  if (ca_file != NULL && !cb_sync_client_set_ca_file (client, ca_file, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  if (token != NULL)
    cb_sync_client_set_token (client, token);
  else
    {
      cb_sync_client_login_async (client, login, password, NULL, on_done, &wait);
      ok = cb_sync_client_login_finish (client, wait_for (&wait), &error);
      g_clear_object (&wait.result);
      if (!ok)
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      logged_in = TRUE;
    }

  cb_sync_client_sync_async (client, NULL, on_done, &wait);
  ok = cb_sync_client_sync_finish (client, wait_for (&wait), &report, &error);
  g_clear_object (&wait.result);
  if (ok && enrol)
    {
      cb_sync_client_take_credentials_async (client, NULL, on_done, &wait);
      accounts = cb_sync_client_take_credentials_finish (client, wait_for (&wait), &error);
      g_clear_object (&wait.result);
      ok = accounts >= 0;
    }

  /* A token made for this run does not outlive it. */
  if (logged_in)
    {
      cb_sync_client_logout_async (client, NULL, on_done, &wait);
      cb_sync_client_logout_finish (client, wait_for (&wait), NULL);
      g_clear_object (&wait.result);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pushed");
      json_builder_add_int_value (builder, report.pushed);
      json_builder_set_member_name (builder, "pulled");
      json_builder_add_int_value (builder, report.pulled);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state_name (cb_sync_client_get_state (client)));
      json_builder_set_member_name (builder, "pending");
      json_builder_add_int_value (builder, cb_sync_client_get_pending (client));
      if (accounts >= 0)
        {
          json_builder_set_member_name (builder, "accounts");
          json_builder_add_int_value (builder, accounts);
        }
      if (!ok)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, error->message);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
    }
  if (!ok)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  if (!json)
    printf (_("%u changes acknowledged by the server, %u server changes read; state: %s, %lld pending\n"),
            report.pushed, report.pulled, state_name (cb_sync_client_get_state (client)),
            (long long) cb_sync_client_get_pending (client));
  if (!json && accounts >= 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%lld person can log in on this bench while offline\n",
                         "%lld people can log in on this bench while offline\n", (gulong) accounts),
            (long long) accounts);
  return CB_CLI_EXIT_OK;
}
