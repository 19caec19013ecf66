/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-i18n.h"
#include "core/cb-json-text.h"
#include "core/cb-rounding.h"

static const CbCliCommand commands[] = {
  { "uncertainty", N_("Evaluate an uncertainty budget file by the GUM method"), cb_cli_uncertainty },
  { "mcm",         N_("Evaluate an uncertainty budget file by Monte Carlo (GUM Supplement 1)"), cb_cli_mcm },
  { "round",       N_("Round a value per GB/T 8170"), cb_cli_round },
  { "report",      N_("Report a result with its expanded uncertainty per JJF 1059.1"), cb_cli_report },
  { "fit",         N_("Fit a straight line with uncertainties"), cb_cli_fit },
  { "decide",      N_("Decide whether an error conforms to its maximum permissible error"), cb_cli_decide },
  { "audit",       N_("Verify the audit chain of a lab database, or show a record's history"), cb_cli_audit },
  { "demo",        N_("Create a demo laboratory: demo init --db FILE"), cb_cli_demo },
  { "judge",       N_("Judge a value against a limit per GB/T 8170"), cb_cli_judge },
  { "certificate", N_("Certificates: certificate issue|render|verify|dcc"), cb_cli_certificate },
  { "keys",        N_("The lab's signing keys: keys init|import --dir DIR"), cb_cli_keys },
  { "template",    N_("Record templates: template validate|import|export"), cb_cli_template },
  { "record",      N_("Compute a record offline, or check stored records recompute: record compute|verify"), cb_cli_record },
  { "instruments", N_("List serial ports, or identify the instrument on a port"), cb_cli_instruments },
  { "acquire",     N_("Take readings from an instrument: acquire --port PORT --driver DRIVER --count N"), cb_cli_acquire },
  { "procedure",   N_("Measure a record's points on instruments: procedure run --template FILE --calibrator PORT --uut PORT"), cb_cli_procedure },
  { "environment", N_("A room's conditions: environment log --db FILE --port PORT --room ROOM, or environment show"), cb_cli_environment },
  { "sync",        N_("Sync a bench's database with the server: sync --db FILE --server URL --login L --password-file F"), cb_cli_sync },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: calbench-cli COMMAND [OPTION…] [ARGUMENT…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “calbench-cli COMMAND --help” for the options of a command. "
                               "Every command accepts --json for machine-readable output."));
}

int
cb_cli_run (int    argc,
            char **argv)
{
  const char *name;

  cb_i18n_init ();
  /* Numbers on the command line and in JSON always use a decimal point. */
  setlocale (LC_NUMERIC, "C");
  g_set_prgname ("calbench-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return CB_CLI_EXIT_BAD_INPUT;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (stdout);
      return CB_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      printf ("calbench-cli %s\n", PACKAGE_VERSION);
      return CB_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("calbench-cli: unknown command “%s”"), name);
  fputs ("\n\n", stderr);
  print_usage (stderr);
  return CB_CLI_EXIT_BAD_INPUT;
}

gboolean
cb_cli_parse_options (GOptionContext *context,
                      int            *argc,
                      char         ***argv,
                      int             n_positional,
                      const char     *positional_name)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "%s", error->message);
      return FALSE;
    }

  if (*argc - 1 != n_positional)
    {
      if (n_positional == 0)
        cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("unexpected argument “%s”"), (*argv)[1]);
      else if (*argc - 1 < n_positional)
        cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("missing argument %s"), positional_name);
      else
        cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("unexpected argument “%s”"), (*argv)[n_positional + 1]);
      return FALSE;
    }

  return TRUE;
}

int
cb_cli_fail (CbCliExit   status,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "calbench-cli: %s\n", message);
  return status;
}

int
cb_cli_fail_error (CbCliExit     status,
                   const GError *error)
{
  return cb_cli_fail (status, "%s", error->message);
}

void
cb_cli_print_json (JsonNode *node)
{
  g_autofree char *text = cb_json_to_text (node, TRUE);

  printf ("%s\n", text);
}

char *
cb_cli_pad (const char *text,
            int         width)
{
  glong length = 0;
  GString *padded = g_string_new (NULL);

  /* Terminal columns: CJK characters take two. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    length += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  if (width < 0)
    {
      g_string_append (padded, text);
      for (glong i = length; i < -width; i++)
        g_string_append_c (padded, ' ');
    }
  else
    {
      for (glong i = length; i < width; i++)
        g_string_append_c (padded, ' ');
      g_string_append (padded, text);
    }
  return g_string_free (padded, FALSE);
}

void
cb_cli_add_dof (JsonBuilder *builder,
                const char  *member,
                double       dof)
{
  json_builder_set_member_name (builder, member);
  if (isinf (dof))
    json_builder_add_string_value (builder, "inf");
  else
    json_builder_add_double_value (builder, dof);
}

gboolean
cb_cli_parse_number (const char  *text,
                     const char  *option,
                     double      *value,
                     GError     **error)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: expected a number, found nothing"), option);
      return FALSE;
    }

  errno = 0;
  v = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite (v))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: expected a finite number, found “%s”"), option, text);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

GArray *
cb_cli_parse_list (const char  *text,
                   const char  *option,
                   GError     **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) items = NULL;

  if (text == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s is required"), option);
      return NULL;
    }

  items = g_strsplit_set (text, ", \t", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *where = NULL;
      double v;

      if (items[i][0] == '\0')
        continue;
      where = g_strdup_printf (_("%s item %u"), option, values->len + 1);
      if (!cb_cli_parse_number (items[i], where, &v, error))
        return NULL;
      g_array_append_val (values, v);
    }

  if (values->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: expected a comma-separated list of numbers"), option);
      return NULL;
    }

  return g_steal_pointer (&values);
}
