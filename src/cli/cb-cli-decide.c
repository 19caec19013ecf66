/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-conformity.h"
#include "core/cb-format.h"

/* A computed value for reading: six significant digits without the
 * trailing zeros that would claim more than the inputs carry. */
static char *
format_value (double value)
{
  char *text = cb_format_significant (value, 6);
  gsize length = strlen (text);

  if (strchr (text, '.') != NULL && strstr (text, "×") == NULL)
    {
      while (length > 0 && text[length - 1] == '0')
        text[--length] = '\0';
      if (length > 0 && text[length - 1] == '.')
        text[--length] = '\0';
    }
  return text;
}

/* @text of @option, which must be given. */
static gboolean
parse_required (const char  *text,
                const char  *option,
                double      *value,
                GError     **error)
{
  if (text == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s is required"), option);
      return FALSE;
    }
  return cb_cli_parse_number (text, option, value, error);
}

/* @text of @option if given, else NAN. */
static gboolean
parse_optional (const char  *text,
                const char  *option,
                double      *value,
                GError     **error)
{
  *value = NAN;
  return text == NULL || cb_cli_parse_number (text, option, value, error);
}

static void
add_double (JsonBuilder *builder,
            const char  *member,
            double       value)
{
  json_builder_set_member_name (builder, member);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (const CbDecisionResult *result,
            const char             *formula,
            double                  reading,
            double                  range,
            double                  resolution,
            double                  guard_factor)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rule");
  json_builder_add_string_value (builder, cb_decision_rule_to_string (result->rule));
  add_double (builder, "error", result->indication_error);
  add_double (builder, "mpe", result->mpe);
  json_builder_set_member_name (builder, "mpe_formula");
  json_builder_add_string_value (builder, formula);
  if (!isnan (reading))
    add_double (builder, "reading", reading);
  if (!isnan (range))
    add_double (builder, "range", range);
  if (!isnan (resolution))
    add_double (builder, "resolution", resolution);
  add_double (builder, "U", result->expanded);
  add_double (builder, "k", result->k);
  add_double (builder, "ratio", result->ratio);
  if (result->rule != CB_DECISION_RULE_SIMPLE && result->rule != CB_DECISION_RULE_JJF1094)
    add_double (builder, "guard_factor", guard_factor);
  add_double (builder, "guard_band", result->guard_band);
  add_double (builder, "acceptance_limit", result->acceptance_limit);
  add_double (builder, "rejection_limit", result->rejection_limit);
  if (result->rule == CB_DECISION_RULE_JJF1094)
    {
      json_builder_set_member_name (builder, "direct");
      json_builder_add_boolean_value (builder, result->direct);
    }
  json_builder_set_member_name (builder, "decision");
  json_builder_add_string_value (builder, cb_decision_to_string (result->decision));
  json_builder_set_member_name (builder, "statement");
  json_builder_add_string_value (builder, cb_decision_get_statement (result->rule, result->decision));
  add_double (builder, "conformance_probability", result->conformance_probability);
  add_double (builder, "risk_at_acceptance_limit", result->acceptance_limit_risk);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cb_cli_print_json (root);
}

static void
print_text (const CbDecisionResult *result,
            const char             *formula,
            gboolean                is_formula)
{
  g_autofree char *e = format_value (result->indication_error);
  g_autofree char *mpe = format_value (result->mpe);
  g_autofree char *U = format_value (result->expanded);
  g_autofree char *k = format_value (result->k);
  g_autofree char *ratio = cb_format_significant (result->ratio, 3);
  g_autofree char *accept = format_value (result->acceptance_limit);
  g_autofree char *reject = format_value (result->rejection_limit);
  g_autofree char *p = cb_format_significant (result->conformance_probability, 4);

  printf ("%s\n", cb_decision_get_statement (result->rule, result->decision));
  printf (_("Rule: %s"), cb_decision_rule_get_title (result->rule));
  putchar ('\n');
  printf (_("Error: %s"), e);
  putchar ('\n');
  if (is_formula)
    /* Translators: the MPE value, then the formula it comes from. */
    printf (_("MPE: %s (%s)"), mpe, formula);
  else
    printf (_("MPE: %s"), mpe);
  putchar ('\n');
  printf (_("Expanded uncertainty U: %s (k = %s), U/MPE = %s"), U, k, ratio);
  putchar ('\n');

  if (result->rule == CB_DECISION_RULE_JJF1094 && result->direct)
    {
      fputs (_("U ≤ MPE/3: decided on |e| ≤ MPE alone"), stdout);
      putchar ('\n');
    }
  if (result->guard_band > 0)
    {
      g_autofree char *w = format_value (result->guard_band);

      printf (_("Guard band w: %s"), w);
      putchar ('\n');
    }
  printf (_("Acceptance limit: |e| ≤ %s"), accept);
  putchar ('\n');
  if (result->rejection_limit != result->acceptance_limit)
    {
      if (result->rule == CB_DECISION_RULE_JJF1094)
        printf (_("Rejection limit: |e| ≥ %s"), reject);
      else
        printf (_("Rejection limit: |e| > %s"), reject);
      putchar ('\n');
    }
  printf (_("Conformance probability: %s"), p);
  putchar ('\n');
  if (!isnan (result->acceptance_limit_risk))
    {
      g_autofree char *risk = cb_format_significant (result->acceptance_limit_risk, 3);

      printf (_("Risk of a false accept at the acceptance limit: %s"), risk);
      putchar ('\n');
    }
}

int
cb_cli_decide (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMpe) mpe = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *mpe_text = NULL;
  g_autofree char *expanded_text = NULL;
  g_autofree char *rule_text = NULL;
  g_autofree char *k_text = NULL;
  g_autofree char *guard_text = NULL;
  g_autofree char *reading_text = NULL;
  g_autofree char *range_text = NULL;
  g_autofree char *resolution_text = NULL;
  g_autofree char *formula = NULL;
  gboolean json = FALSE;
  CbDecisionRule rule = CB_DECISION_RULE_JJF1094;
  CbDecisionResult result;
  CbMpeNeeds needs;
  double e, expanded, k = 2, guard_factor = 1;
  double reading, range, resolution, mpe_value;
  GOptionEntry entries[] = {
    { "error", 0, 0, G_OPTION_ARG_STRING, &error_text, N_("The error found (indication minus reference)"), "E" },
    { "mpe", 0, 0, G_OPTION_ARG_STRING, &mpe_text, N_("Maximum permissible error: a number or a formula such as ±(0.05%rdg + 0.01%FS + 2d)"), "MPE" },
    { "U", 0, 0, G_OPTION_ARG_STRING, &expanded_text, N_("Expanded uncertainty of the error"), "U" },
    { "k", 0, 0, G_OPTION_ARG_STRING, &k_text, N_("Coverage factor of U (default 2)"), "K" },
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule_text, N_("Decision rule: simple, guard, guarded-rejection, jjf1094 or ilac (default jjf1094)"), "RULE" },
    { "guard-factor", 0, 0, G_OPTION_ARG_STRING, &guard_text, N_("Guard band w = r·U for the guard, guarded-rejection and ilac rules (default 1)"), "R" },
    { "reading", 0, 0, G_OPTION_ARG_STRING, &reading_text, N_("Reading, for a formula with a percent-of-reading term"), "X" },
    { "range", 0, 0, G_OPTION_ARG_STRING, &range_text, N_("Range (full-scale value), for a formula with a percent-of-range term or a class"), "FS" },
    { "resolution", 0, 0, G_OPTION_ARG_STRING, &resolution_text, N_("Resolution (value of one digit), for a formula with digits"), "D" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— decide whether an error conforms to a maximum permissible error"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;

  if (rule_text != NULL && !cb_decision_rule_from_string (rule_text, &rule))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                        _("--rule: expected simple, guard, guarded-rejection, jjf1094 or ilac, found “%s”"),
                        rule_text);

  if (!parse_required (error_text, "--error", &e, &error) ||
      !parse_required (expanded_text, "--U", &expanded, &error) ||
      (k_text != NULL && !cb_cli_parse_number (k_text, "--k", &k, &error)) ||
      (guard_text != NULL && !cb_cli_parse_number (guard_text, "--guard-factor", &guard_factor, &error)) ||
      !parse_optional (reading_text, "--reading", &reading, &error) ||
      !parse_optional (range_text, "--range", &range, &error) ||
      !parse_optional (resolution_text, "--resolution", &resolution, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  if (expanded < 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--U: expected a non-negative number, found “%s”"), expanded_text);
  if (k <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--k: expected a positive number, found “%s”"), k_text);
  if (guard_factor < 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--guard-factor: expected a non-negative number, found “%s”"), guard_text);
  if (range <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--range: expected a positive number, found “%s”"), range_text);
  if (resolution <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--resolution: expected a positive number, found “%s”"), resolution_text);

  if (mpe_text == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("%s is required"), "--mpe");
  mpe = cb_mpe_parse (mpe_text, &error);
  if (mpe == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "--mpe “%s”: %s", mpe_text, error->message);

  /* Name the missing option rather than the formula's term. */
  needs = cb_mpe_get_needs (mpe);
  if ((needs & CB_MPE_NEEDS_READING) && reading_text == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--mpe “%s” has a %% of reading term: give --reading"), mpe_text);
  if ((needs & CB_MPE_NEEDS_RANGE) && range_text == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--mpe “%s” has a %% of range term: give --range"), mpe_text);
  if ((needs & CB_MPE_NEEDS_RESOLUTION) && resolution_text == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--mpe “%s” counts digits: give --resolution"), mpe_text);

  if (!cb_mpe_evaluate (mpe, reading, range, resolution, &mpe_value, &error))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "--mpe “%s”: %s", mpe_text, error->message);
  if (mpe_value <= 0)
    {
      g_autofree char *shown = format_value (mpe_value);

      return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--mpe “%s”: expected a positive maximum permissible error, found %s"),
                          mpe_text, shown);
    }

  if (!cb_conformity_decide (rule, e, mpe_value, expanded, k, guard_factor, &result, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  formula = cb_mpe_to_string (mpe);
  if (json)
    print_json (&result, formula, reading, range, resolution, guard_factor);
  else
    print_text (&result, formula, needs != CB_MPE_NEEDS_NOTHING);

  return CB_CLI_EXIT_OK;
}
