/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-format.h"
#include "core/cb-regression.h"

static void
add_number (JsonBuilder *builder,
            const char  *member,
            double       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, value);
}

static void
print_line (const char *label,
            double      value,
            double      u)
{
  g_autofree char *value_text = cb_format_significant (value, 6);
  g_autofree char *u_text = cb_format_significant (u, 3);
  g_autofree char *padded = cb_cli_pad (label, -24);

  printf ("%s %s    u = %s\n", padded, value_text, u_text);
}

int
cb_cli_fit (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) x = NULL;
  g_autoptr(GArray) y = NULL;
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  g_autofree char *at_text = NULL;
  g_autofree char *x0_text = NULL;
  gboolean json = FALSE;
  double at = 0, x0 = 0;
  CbLine line;
  CbLinePrediction prediction;
  GOptionEntry entries[] = {
    { "x", 0, 0, G_OPTION_ARG_STRING, &x_text, N_("The x values, comma-separated"), "X1,X2,…" },
    { "y", 0, 0, G_OPTION_ARG_STRING, &y_text, N_("The y values, comma-separated"), "Y1,Y2,…" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("Predict y at this x, with its uncertainty"), "X" },
    { "x0", 0, 0, G_OPTION_ARG_STRING, &x0_text, N_("Fit y = a + b(x − x0) (default x0 = 0)"), "X0" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— fit a straight line with uncertainties by least squares"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;

  x = cb_cli_parse_list (x_text, "--x", &error);
  if (x == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  y = cb_cli_parse_list (y_text, "--y", &error);
  if (y == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (at_text != NULL && !cb_cli_parse_number (at_text, "--at", &at, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (x0_text != NULL && !cb_cli_parse_number (x0_text, "--x0", &x0, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  if (!cb_line_fit ((const double *) x->data, (const double *) y->data, x->len, y->len,
                    x0, &line, &error))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "--%s", error->message);
  if (at_text != NULL)
    cb_line_predict (&line, at, &prediction);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_number (builder, "intercept", line.intercept);
      add_number (builder, "slope", line.slope);
      add_number (builder, "u_intercept", line.u_intercept);
      add_number (builder, "u_slope", line.u_slope);
      add_number (builder, "correlation", line.correlation);
      add_number (builder, "s", line.s);
      add_number (builder, "dof", line.dof);
      add_number (builder, "x0", line.x0);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, line.n);
      if (at_text != NULL)
        {
          json_builder_set_member_name (builder, "prediction");
          json_builder_begin_object (builder);
          add_number (builder, "x", prediction.x);
          add_number (builder, "y", prediction.y);
          add_number (builder, "u", prediction.u);
          add_number (builder, "u_new_observation", prediction.u_observation);
          add_number (builder, "dof", prediction.dof);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
      return CB_CLI_EXIT_OK;
    }

  {
    g_autofree char *x0_shown = cb_format_exact (line.x0);
    g_autofree char *r = cb_format_significant (line.correlation, 3);
    g_autofree char *s = cb_format_significant (line.s, 3);
    g_autofree char *dof = cb_format_dof (line.dof);

    if (line.x0 != 0)
      printf (_("y = a + b (x − %s), %u points"), x0_shown, line.n);
    else
      printf (_("y = a + b x, %u points"), line.n);
    printf ("\n");
    print_line (_("intercept a"), line.intercept, line.u_intercept);
    print_line (_("slope b"), line.slope, line.u_slope);
    printf ("%s: r(a, b) = %s\n", _("correlation"), r);
    printf ("%s: s = %s, ν = %s\n", _("residual standard deviation"), s, dof);
  }
  if (at_text != NULL)
    {
      g_autofree char *x_shown = cb_format_exact (prediction.x);
      g_autofree char *label = g_strdup_printf (_("y at x = %s"), x_shown);
      g_autofree char *u_obs = cb_format_significant (prediction.u_observation, 3);

      print_line (label, prediction.y, prediction.u);
      printf ("%s: u = %s\n", _("a new observation at that x"), u_obs);
    }

  return CB_CLI_EXIT_OK;
}
