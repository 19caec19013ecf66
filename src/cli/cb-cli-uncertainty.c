/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-budget.h"
#include "core/cb-format.h"
#include "core/cb-mcm.h"
#include "core/cb-rounding.h"

/* The JJF 1059.1 reported pair for a value and its expanded uncertainty. */
static gboolean
report_pair (double   value,
             double   expanded,
             char   **value_text,
             char   **expanded_text)
{
  g_autoptr(CbDecimal) y = cb_decimal_from_double (value);
  g_autoptr(CbDecimal) U = cb_decimal_from_double (expanded);
  g_autoptr(CbDecimal) y_out = NULL;
  g_autoptr(CbDecimal) U_out = NULL;

  if (!(expanded > 0) || !cb_report_result (y, U, 0, FALSE, &y_out, &U_out, NULL))
    return FALSE;

  *value_text = cb_decimal_to_string (y_out);
  *expanded_text = cb_decimal_to_string (U_out);
  return TRUE;
}

static void
add_reported (JsonBuilder *builder,
              double       value,
              double       expanded)
{
  g_autofree char *value_text = NULL;
  g_autofree char *expanded_text = NULL;

  json_builder_set_member_name (builder, "reported");
  if (!report_pair (value, expanded, &value_text, &expanded_text))
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value_text);
  json_builder_set_member_name (builder, "U");
  json_builder_add_string_value (builder, expanded_text);
  json_builder_end_object (builder);
}

typedef double (*CorrelationFunc) (gconstpointer result, guint i, guint j);

static void
add_correlation (JsonBuilder    *builder,
                 const CbBudget *budget,
                 gconstpointer   result,
                 CorrelationFunc correlation)
{
  const guint *reported;
  guint n_reported;

  reported = cb_budget_get_reported (budget, &n_reported);
  if (n_reported < 2)
    return;

  json_builder_set_member_name (builder, "correlation");
  json_builder_begin_object (builder);
  for (guint a = 0; a < n_reported; a++)
    {
      json_builder_set_member_name (builder, cb_budget_get_output_name (budget, reported[a]));
      json_builder_begin_object (builder);
      for (guint b = 0; b < n_reported; b++)
        {
          json_builder_set_member_name (builder, cb_budget_get_output_name (budget, reported[b]));
          json_builder_add_double_value (builder, correlation (result, reported[a], reported[b]));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
print_correlation (const CbBudget *budget,
                   gconstpointer   result,
                   CorrelationFunc correlation)
{
  const guint *reported;
  guint n_reported;

  reported = cb_budget_get_reported (budget, &n_reported);
  if (n_reported < 2)
    return;

  printf ("\n%s\n", _("Correlation coefficients"));
  printf ("  %-10s", "");
  for (guint b = 0; b < n_reported; b++)
    printf (" %10s", cb_budget_get_output_name (budget, reported[b]));
  printf ("\n");
  for (guint a = 0; a < n_reported; a++)
    {
      printf ("  %-10s", cb_budget_get_output_name (budget, reported[a]));
      for (guint b = 0; b < n_reported; b++)
        {
          g_autofree char *r = cb_format_significant (correlation (result, reported[a], reported[b]), 3);
          printf (" %10s", r);
        }
      printf ("\n");
    }
}

static double
gum_correlation (gconstpointer result,
                 guint         i,
                 guint         j)
{
  return cb_gum_result_get_correlation (result, i, j);
}

static double
mcm_correlation (gconstpointer result,
                 guint         i,
                 guint         j)
{
  return cb_mcm_result_get_correlation (result, i, j);
}

/* One line of the budget table, aligned by characters so that "×10⁻⁶"
 * and Chinese headings keep the columns straight. */
static void
print_budget_row (const char * const cells[6])
{
  static const int widths[] = { -12, 14, 12, 14, 12, 8 };
  GString *line = g_string_new (" ");

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autofree char *cell = cb_cli_pad (cells[i], widths[i]);

      g_string_append_printf (line, " %s", cell);
    }
  printf ("%s\n", line->str);
  g_string_free (line, TRUE);
}

static void
print_gum_output (const CbGumOutput *output)
{
  g_autofree char *value_text = NULL;
  g_autofree char *expanded_text = NULL;
  g_autofree char *u = cb_format_significant (output->u, 3);
  g_autofree char *k = cb_format_significant (output->k, 3);
  g_autofree char *p = cb_format_exact (output->p);
  g_autofree char *dof = cb_format_dof (output->dof);

  if (report_pair (output->value, output->expanded, &value_text, &expanded_text))
    printf ("%s = %s ± %s\n", output->name, value_text, expanded_text);
  else
    {
      g_autofree char *y = cb_format_significant (output->value, 8);
      printf ("%s = %s\n", output->name, y);
    }
  printf ("  %s: %s    %s: %s    k = %s    p = %s\n",
          _("combined standard uncertainty u_c"), u, _("effective degrees of freedom"), dof, k, p);

  {
    const char *header[] = { _("input"), _("value x_i"), _("u(x_i)"), _("c_i"), _("u_i(y)"), _("ν_i") };

    printf ("\n");
    print_budget_row (header);
  }
  for (guint r = 0; r < output->n_rows; r++)
    {
      const CbBudgetRow *row = &output->rows[r];
      g_autofree char *x = cb_format_exact (row->value);
      g_autofree char *ux = cb_format_significant (row->u, 3);
      g_autofree char *c = cb_format_significant (row->sensitivity, 3);
      g_autofree char *ui = cb_format_significant (row->contribution, 3);
      g_autofree char *nu = cb_format_dof (row->dof);

      const char *cells[] = { row->input, x, ux, c, ui, nu };

      print_budget_row (cells);
    }
}

int
cb_cli_uncertainty (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CbBudget) budget = NULL;
  g_autoptr(CbGumResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const guint *reported;
  guint n_reported;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE.json — evaluate an uncertainty budget by the GUM method"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "FILE.json"))
    return CB_CLI_EXIT_BAD_INPUT;

  budget = cb_budget_new_from_file (argv[1], &error);
  if (budget == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "%s: %s", argv[1], error->message);

  result = cb_budget_evaluate_gum (budget, &error);
  if (result == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "%s: %s", argv[1], error->message);

  reported = cb_budget_get_reported (budget, &n_reported);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "GUM");
      json_builder_set_member_name (builder, "outputs");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_reported; i++)
        {
          const CbGumOutput *output = cb_gum_result_get_output (result, reported[i]);

          json_builder_set_member_name (builder, output->name);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          json_builder_add_double_value (builder, output->value);
          json_builder_set_member_name (builder, "u");
          json_builder_add_double_value (builder, output->u);
          cb_cli_add_dof (builder, "dof", output->dof);
          json_builder_set_member_name (builder, "k");
          json_builder_add_double_value (builder, output->k);
          json_builder_set_member_name (builder, "p");
          json_builder_add_double_value (builder, output->p);
          json_builder_set_member_name (builder, "U");
          json_builder_add_double_value (builder, output->expanded);
          json_builder_set_member_name (builder, "budget");
          json_builder_begin_array (builder);
          for (guint r = 0; r < output->n_rows; r++)
            {
              const CbBudgetRow *row = &output->rows[r];

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "input");
              json_builder_add_string_value (builder, row->input);
              json_builder_set_member_name (builder, "value");
              json_builder_add_double_value (builder, row->value);
              json_builder_set_member_name (builder, "sensitivity");
              json_builder_add_double_value (builder, row->sensitivity);
              json_builder_set_member_name (builder, "u");
              json_builder_add_double_value (builder, row->u);
              json_builder_set_member_name (builder, "contribution");
              json_builder_add_double_value (builder, row->contribution);
              cb_cli_add_dof (builder, "dof", row->dof);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          add_reported (builder, output->value, output->expanded);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      add_correlation (builder, budget, result, gum_correlation);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
      return CB_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_reported; i++)
    {
      if (i > 0)
        printf ("\n");
      print_gum_output (cb_gum_result_get_output (result, reported[i]));
    }
  print_correlation (budget, result, gum_correlation);

  return CB_CLI_EXIT_OK;
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  gboolean *show = user_data;

  if (*show)
    fprintf (stderr, "\r%s %3.0f %%", _("Monte Carlo:"), fraction * 100.0);
}

int
cb_cli_mcm (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CbBudget) budget = NULL;
  g_autoptr(CbMcmResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trials_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *tolerance_text = NULL;
  g_autofree char *p_text = NULL;
  gboolean json = FALSE;
  gboolean adaptive = FALSE;
  gboolean show_progress;
  int threads = 0;
  CbMcmOptions options;
  const guint *reported;
  guint n_reported;
  GOptionEntry entries[] = {
    { "trials", 'M', 0, G_OPTION_ARG_STRING, &trials_text, N_("Number of Monte Carlo trials (default 1000000)"), "M" },
    { "adaptive", 0, 0, G_OPTION_ARG_NONE, &adaptive, N_("Run the adaptive procedure of GUM-S1 7.9"), NULL },
    { "tolerance", 0, 0, G_OPTION_ARG_STRING, &tolerance_text, N_("Numerical tolerance of the adaptive procedure"), "D" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, N_("Seed of the random number generator (default 1)"), "S" },
    { "p", 0, 0, G_OPTION_ARG_STRING, &p_text, N_("Coverage probability (default: the budget's)"), "P" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per core)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE.json — evaluate an uncertainty budget by Monte Carlo"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "FILE.json"))
    return CB_CLI_EXIT_BAD_INPUT;

  cb_mcm_options_init (&options);
  options.adaptive = adaptive;
  if (trials_text != NULL)
    {
      guint64 trials;

      if (adaptive)
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--trials and --adaptive exclude each other"));
      if (!g_ascii_string_to_unsigned (trials_text, 10, 1, G_MAXUINT32, &trials, NULL))
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--trials: expected a whole number of trials from 1 to %u, found “%s”"),
                            G_MAXUINT32, trials_text);
      options.trials = trials;
    }
  if (tolerance_text != NULL)
    {
      if (!adaptive)
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--tolerance needs --adaptive"));
      if (!cb_cli_parse_number (tolerance_text, "--tolerance", &options.tolerance, &error))
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      if (!(options.tolerance > 0))
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--tolerance: expected a positive number, found “%s”"), tolerance_text);
    }
  if (seed_text != NULL &&
      !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &options.seed, NULL))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--seed: expected a whole number, found “%s”"), seed_text);
  if (p_text != NULL)
    {
      if (!cb_cli_parse_number (p_text, "--p", &options.p, &error))
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      if (!(options.p > 0 && options.p < 1))
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--p: expected a probability between 0 and 1, found “%s”"), p_text);
    }
  if (threads < 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--threads: expected a positive number"));
  options.n_threads = threads;

  budget = cb_budget_new_from_file (argv[1], &error);
  if (budget == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "%s: %s", argv[1], error->message);

  show_progress = !json && isatty (fileno (stderr));
  result = cb_mcm_run (budget, &options, on_progress, &show_progress, NULL, &error);
  if (show_progress)
    fprintf (stderr, "\r%*s\r", 20, "");
  if (result == NULL)
    {
      CbCliExit status = g_error_matches (error, CB_MCM_ERROR, CB_MCM_ERROR_NOT_CONVERGED)
                         ? CB_CLI_EXIT_FAILURE : CB_CLI_EXIT_BAD_INPUT;
      return cb_cli_fail (status, "%s: %s", argv[1], error->message);
    }

  reported = cb_budget_get_reported (budget, &n_reported);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "MCM");
      json_builder_set_member_name (builder, "generator");
      json_builder_add_string_value (builder, cb_mcm_generator_name ());
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, (gint64) options.seed);
      json_builder_set_member_name (builder, "trials");
      json_builder_add_int_value (builder, (gint64) cb_mcm_result_get_trials (result));
      json_builder_set_member_name (builder, "p");
      json_builder_add_double_value (builder, cb_mcm_result_get_p (result));
      json_builder_set_member_name (builder, "outputs");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_reported; i++)
        {
          const CbMcmOutput *output = cb_mcm_result_get_output (result, reported[i]);

          json_builder_set_member_name (builder, output->name);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          json_builder_add_double_value (builder, output->value);
          json_builder_set_member_name (builder, "u");
          json_builder_add_double_value (builder, output->u);
          json_builder_set_member_name (builder, "shortest");
          json_builder_begin_array (builder);
          json_builder_add_double_value (builder, output->low);
          json_builder_add_double_value (builder, output->high);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "symmetric");
          json_builder_begin_array (builder);
          json_builder_add_double_value (builder, output->symmetric_low);
          json_builder_add_double_value (builder, output->symmetric_high);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      add_correlation (builder, budget, result, mcm_correlation);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
      return CB_CLI_EXIT_OK;
    }

  {
    g_autofree char *p = cb_format_exact (cb_mcm_result_get_p (result));
    g_autofree char *trials = g_strdup_printf ("%" G_GUINT64_FORMAT, cb_mcm_result_get_trials (result));
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, options.seed);

    printf (_("Monte Carlo, %s trials, generator %s, seed %s, p = %s"),
            trials, cb_mcm_generator_name (), seed, p);
    printf ("\n");
  }
  for (guint i = 0; i < n_reported; i++)
    {
      const CbMcmOutput *output = cb_mcm_result_get_output (result, reported[i]);
      g_autofree char *y = cb_format_significant (output->value, 8);
      g_autofree char *u = cb_format_significant (output->u, 3);
      g_autofree char *low = cb_format_significant (output->low, 8);
      g_autofree char *high = cb_format_significant (output->high, 8);
      g_autofree char *slow = cb_format_significant (output->symmetric_low, 8);
      g_autofree char *shigh = cb_format_significant (output->symmetric_high, 8);

      printf ("\n%s = %s    u = %s\n", output->name, y, u);
      printf ("  %s: [%s, %s]\n", _("shortest coverage interval"), low, high);
      printf ("  %s: [%s, %s]\n", _("probabilistically symmetric interval"), slow, shigh);
    }
  print_correlation (budget, result, mcm_correlation);

  return CB_CLI_EXIT_OK;
}
