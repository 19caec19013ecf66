/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "store/cb-store-audit.h"

static CbStore *
open_existing (const char  *path,
               GError     **error)
{
  if (path == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--db is required"));
      return NULL;
    }
  /* Verification never creates a database. */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("--db %s: no such database file"), path);
      return NULL;
    }
  return cb_store_open (path, error);
}

static int
audit_verify (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  gboolean chain_ok, rows_ok = FALSE;
  gint64 n_entries = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— check the audit chain and that every row matches it"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;

  store = open_existing (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  chain_ok = cb_store_audit_verify (store, &n_entries, &error);
  if (chain_ok)
    rows_ok = cb_store_audit_verify_rows (store, &error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, chain_ok && rows_ok);
      json_builder_set_member_name (builder, "entries");
      json_builder_add_int_value (builder, n_entries);
      json_builder_set_member_name (builder, "problem");
      if (error != NULL)
        json_builder_add_string_value (builder, error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
    }
  else if (error == NULL)
    printf (_("The audit chain of %s is intact: %lld entries, and every row matches them.\n"),
            db, (long long) n_entries);

  if (error != NULL)
    {
      if (!json)
        cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      return CB_CLI_EXIT_FAILURE;
    }
  return CB_CLI_EXIT_OK;
}

static int
audit_show (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *db = NULL;
  g_autofree char *table = NULL;
  g_autofree char *field = NULL;
  gint64 row = 0;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "table", 0, 0, G_OPTION_ARG_STRING, &table, N_("The table, e.g. customers"), "TABLE" },
    { "row", 0, 0, G_OPTION_ARG_INT64, &row, N_("The row id"), "ID" },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, N_("Only this field"), "FIELD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the history as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— show the history of a record or a field, oldest first"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (table == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--table is required"));
  if (row <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--row: expected a positive row id"));

  store = open_existing (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  history = cb_store_audit_history (store, table, row, field, &error);
  if (history == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < history->len; i++)
        {
          CbAuditEntry *entry = g_ptr_array_index (history, i);
          const struct { const char *name; const char *value; } members[] = {
            { "utc", entry->utc }, { "local_time", entry->local_time }, { "actor", entry->actor },
            { "workstation", entry->workstation }, { "field", entry->field },
            { "action", entry->action }, { "old", entry->old_value }, { "new", entry->new_value },
            { "reason", entry->reason },
          };

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "seq");
          json_builder_add_int_value (builder, entry->seq);
          for (guint m = 0; m < G_N_ELEMENTS (members); m++)
            {
              json_builder_set_member_name (builder, members[m].name);
              if (members[m].value != NULL)
                json_builder_add_string_value (builder, members[m].value);
              else
                json_builder_add_null_value (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
      return CB_CLI_EXIT_OK;
    }

  if (history->len == 0)
    {
      printf (_("No history for %s row %lld.\n"), table, (long long) row);
      return CB_CLI_EXIT_OK;
    }
  for (guint i = 0; i < history->len; i++)
    {
      CbAuditEntry *entry = g_ptr_array_index (history, i);

      /* An old value is shown struck through, as a paper record would. */
      printf ("%s  %s@%s  %s  ", entry->local_time, entry->actor, entry->workstation, entry->field);
      if (entry->old_value != NULL)
        {
          for (const char *p = entry->old_value; *p; p = g_utf8_next_char (p))
            printf ("%.*s\u0336", (int) (g_utf8_next_char (p) - p), p);
          printf (" → ");
        }
      printf ("%s", entry->new_value != NULL ? entry->new_value : "∅");
      if (entry->reason != NULL)
        printf ("  (%s)", entry->reason);
      printf ("\n");
    }
  return CB_CLI_EXIT_OK;
}

int
cb_cli_audit (int    argc,
              char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "verify"))
    return audit_verify (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return audit_show (argc - 1, argv + 1);
  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("audit: expected “verify --db FILE” or “show --db FILE --table TABLE --row ID”"));
}
