/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-record.h"
#include "store/cb-store-methods.h"
#include "store/cb-store-records.h"
#include "store/cb-store-staff.h"
#include "store/cb-store-templates.h"

static int
template_validate (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = NULL;

  context = g_option_context_new (_("FILE — check a record template"));
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "FILE"))
    return CB_CLI_EXIT_BAD_INPUT;

  tmpl = cb_template_new_from_file (argv[1], &error);
  if (tmpl == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  printf (_("%s: a valid template\n"), argv[1]);
  printf ("  %s  %s\n", cb_template_get_id (tmpl), cb_template_get_title (tmpl));
  printf (_("  method %s %s\n"), cb_template_get_method_code (tmpl), cb_template_get_method_name (tmpl));
  printf (_("  %u measurement blocks, %u parameters, %u standards\n"),
          cb_template_get_n_blocks (tmpl), cb_template_get_n_parameters (tmpl),
          cb_template_get_n_standards (tmpl));
  printf (_("  digest %s\n"), cb_template_get_digest (tmpl));
  return CB_CLI_EXIT_OK;
}

static CbStore *
open_lab (const char  *db,
          GError     **error)
{
  if (db == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--db is required"));
      return NULL;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("--db %s: no such database file"), db);
      return NULL;
    }
  return cb_store_open (db, error);
}

/* A template file into the store as a new draft version of the template of
 * the same title, made for its method. */
static int
template_import (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autofree char *db = NULL;
  g_autofree char *author = NULL;
  g_autofree char *item = NULL;
  g_autofree char *document = NULL;
  g_autoptr(CbStoredTemplateVersion) stored = NULL;
  gint64 author_id, method_id, template_id = 0, version_id;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "author", 0, 0, G_OPTION_ARG_STRING, &author, N_("Login of the staff member importing it"), "LOGIN" },
    { "item", 0, 0, G_OPTION_ARG_STRING, &item, N_("Measurement item (default: the method's name)"), "ITEM" },
    { NULL }
  };

  context = g_option_context_new (_("FILE — import a record template as a draft version"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "FILE"))
    return CB_CLI_EXIT_BAD_INPUT;
  if (author == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--author is required"));

  tmpl = cb_template_new_from_file (argv[1], &error);
  if (tmpl == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  store = open_lab (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  cb_store_set_actor (store, author, g_get_host_name ());

  author_id = cb_store_staff_find (store, author, &error);
  if (author_id == 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--author: no staff member has the login '%s'"), author);
  method_id = cb_store_method_find_current (store, cb_template_get_method_code (tmpl), &error);
  if (method_id == 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("%s: the lab has no current method %s"), argv[1],
                        cb_template_get_method_code (tmpl));

  existing = cb_store_template_list (store, NULL, &error);
  if (existing == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  for (guint i = 0; i < existing->len; i++)
    {
      CbStoredTemplate *row = g_ptr_array_index (existing, i);

      if (g_str_equal (row->name, cb_template_get_title (tmpl)) && row->method_id == method_id)
        template_id = row->id;
    }
  if (template_id == 0)
    template_id = cb_store_template_add (store, cb_template_get_title (tmpl),
                                         item != NULL ? item : cb_template_get_method_name (tmpl),
                                         method_id, &error);
  if (template_id == 0)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);

  document = cb_template_to_data (tmpl);
  version_id = cb_store_template_version_add (store, template_id, author_id, document, &error);
  if (version_id == 0)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  stored = cb_store_template_version_get (store, version_id, &error);
  if (stored == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  printf (_("Imported %s as version %lld of template %lld (id %lld), a draft: it is used once submitted and "
            "approved by someone else.\n"), cb_template_get_id (tmpl), (long long) stored->version,
          (long long) template_id, (long long) version_id);
  return CB_CLI_EXIT_OK;
}

static int
template_export (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbStoredTemplateVersion) stored = NULL;
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autofree char *db = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  gint64 version_id = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "version", 0, 0, G_OPTION_ARG_INT64, &version_id, N_("The template version's id"), "ID" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of the standard output"), "FILE" },
    { NULL }
  };

  context = g_option_context_new (_("— export a stored template version as a file"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (version_id <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--version is required"));
  store = open_lab (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  stored = cb_store_template_version_get (store, version_id, &error);
  if (stored == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  tmpl = cb_template_new_from_data (stored->document, -1, &error);
  if (tmpl == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  text = cb_template_to_data (tmpl);
  if (output == NULL)
    printf ("%s\n", text);
  else if (!g_file_set_contents (output, text, -1, &error))
    return cb_cli_fail (CB_CLI_EXIT_FAILURE, _("--output %s: %s"), output, error->message);
  return CB_CLI_EXIT_OK;
}

int
cb_cli_template (int    argc,
                 char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "validate"))
    return template_validate (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return template_import (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return template_export (argc - 1, argv + 1);

  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("template: expected a subcommand: validate FILE, import --db FILE --author LOGIN FILE, "
                        "or export --db FILE --version ID"));
}

static void
print_cells (JsonObject *cells)
{
  g_autoptr(GList) members = json_object_get_members (cells);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (cells, l->data);

      if (JSON_NODE_HOLDS_NULL (node))
        printf ("  %s —", (const char *) l->data);
      else if (json_object_has_member (json_node_get_object (node), "text"))
        printf ("  %s %s", (const char *) l->data,
                json_object_get_string_member (json_node_get_object (node), "text"));
      else
        printf ("  %s [%s]", (const char *) l->data,
                json_object_get_string_member (json_node_get_object (node), "error"));
    }
}

static void
print_results (CbRecord *record,
               JsonNode *results)
{
  JsonObject *root = json_node_get_object (results);
  JsonObject *blocks = json_object_get_object_member (root, "blocks");
  JsonArray *warnings = json_object_get_array_member (root, "warnings");
  g_autoptr(GList) block_names = json_object_get_members (blocks);
  const char *conclusion = NULL;

  for (GList *b = block_names; b != NULL; b = b->next)
    {
      JsonArray *points = json_object_get_array_member (blocks, b->data);

      printf ("%s\n", (const char *) b->data);
      for (guint p = 0; p < json_array_get_length (points); p++)
        {
          JsonObject *point = json_array_get_object_element (points, p);
          JsonObject *checks = json_object_get_object_member (point, "checks");
          g_autoptr(GList) check_names = json_object_get_members (checks);

          printf ("%4u", p + 1);
          print_cells (json_object_get_object_member (point, "cells"));
          for (GList *c = check_names; c != NULL; c = c->next)
            {
              JsonNode *node = json_object_get_member (checks, c->data);

              printf ("  %s: %s", (const char *) c->data,
                      JSON_NODE_HOLDS_NULL (node) ? "—"
                      : json_object_get_string_member (json_node_get_object (node), "decision"));
            }
          printf ("\n");
        }
    }
  printf (_("Record values:"));
  print_cells (json_object_get_object_member (root, "values"));
  printf ("\n");
  for (guint w = 0; w < json_array_get_length (warnings); w++)
    printf (_("Warning: %s\n"), json_array_get_string_element (warnings, w));

  switch (cb_record_get_conclusion (record, &conclusion))
    {
    case CB_CONCLUSION_INCOMPLETE:
      printf (_("Conclusion: not decided yet (readings or inputs missing)\n"));
      break;
    default:
      printf (_("Conclusion: %s\n"), conclusion);
      break;
    }
}

void
cb_cli_print_record (CbRecord *record,
                     gboolean  json)
{
  g_autoptr(JsonNode) results = cb_record_results_to_json (record);

  if (json)
    cb_cli_print_json (results);
  else
    print_results (record, results);
}

static int
record_compute (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *template_path = NULL;
  g_autofree char *data_path = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_path, N_("The record template"), "FILE" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_path, N_("The entered data (JSON)"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every computed cell as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— compute a record offline from a template and entered data"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (template_path == NULL || data_path == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--template and --data are required"));

  tmpl = cb_template_new_from_file (template_path, &error);
  if (tmpl == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (!json_parser_load_from_file (parser, data_path, &error))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--data %s: %s"), data_path, error->message);
  record = cb_record_new_from_json (tmpl, json_parser_get_root (parser), &error);
  if (record == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--data %s: %s"), data_path, error->message);

  cb_cli_print_record (record, json);
  return CB_CLI_EXIT_OK;
}

static int
record_verify (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *db = NULL;
  gint64 record_id = 0;
  guint n_bad = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "record", 0, 0, G_OPTION_ARG_INT64, &record_id, N_("Only this record (default: every record with results)"), "ID" },
    { NULL }
  };

  context = g_option_context_new (_("— recompute stored records and compare with their stored results"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (db == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db is required"));
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db %s: no such database file"), db);
  store = cb_store_open (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  if (record_id > 0)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ids, record_id);
    }
  else
    {
      ids = cb_store_record_list_computed (store, &error);
      if (ids == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!cb_store_record_verify (store, g_array_index (ids, gint64, i), &local_error))
        {
          n_bad++;
          fprintf (stderr, "calbench-cli: %s\n", local_error->message);
          if (g_error_matches (local_error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND))
            return CB_CLI_EXIT_BAD_INPUT;
        }
    }
  if (n_bad > 0)
    {
      printf (_("%u of %u records do not recompute to their stored results.\n"), n_bad, ids->len);
      return CB_CLI_EXIT_FAILURE;
    }
  printf (_("%u records recompute to their stored results.\n"), ids->len);
  return CB_CLI_EXIT_OK;
}

int
cb_cli_record (int    argc,
               char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "compute"))
    return record_compute (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "verify"))
    return record_verify (argc - 1, argv + 1);

  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("record: expected a subcommand: compute --template FILE --data FILE, "
                        "or verify --db FILE [--record ID]"));
}
