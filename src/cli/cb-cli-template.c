/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-record.h"

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

int
cb_cli_template (int    argc,
                 char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "validate"))
    return template_validate (argc - 1, argv + 1);

  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("template: expected a subcommand: validate FILE"));
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

int
cb_cli_record (int    argc,
               char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "compute"))
    return record_compute (argc - 1, argv + 1);

  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("record: expected a subcommand: compute --template FILE --data FILE"));
}
