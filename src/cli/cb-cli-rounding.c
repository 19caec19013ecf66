/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "core/cb-rounding.h"

static CbDecimal *
parse_decimal (const char  *text,
               const char  *option,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  CbDecimal *decimal;

  if (text == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s is required"), option);
      return NULL;
    }

  decimal = cb_decimal_parse (text, &local_error);
  if (decimal == NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s “%s”: %s",
                 option, text, local_error->message);
  return decimal;
}

static void
print_object (const char *first_member,
              ...) G_GNUC_NULL_TERMINATED;

/* Prints a flat JSON object of string members: name, value, …, NULL. */
static void
print_object (const char *first_member,
              ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *member;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_member);
  for (member = first_member; member != NULL; member = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, member);
      if (value == NULL)
        json_builder_add_null_value (builder);
      else
        json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cb_cli_print_json (root);
}

static const char *
mark_name (CbRoundMark mark)
{
  switch (mark)
    {
    case CB_ROUND_MARK_PLUS:
      return "+";
    case CB_ROUND_MARK_MINUS:
      return "-";
    case CB_ROUND_MARK_NONE:
    default:
      return "";
    }
}

int
cb_cli_round (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) value = NULL;
  g_autoptr(CbDecimal) interval = NULL;
  g_autoptr(CbDecimal) result = NULL;
  g_autofree char *interval_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sci = NULL;
  int sig = 0;
  gboolean json = FALSE;
  gboolean mark = FALSE;
  GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval_text, N_("Rounding interval: 0.01, 0.5, 0.2, 20, 0.25…"), "I" },
    { "sig", 's', 0, G_OPTION_ARG_INT, &sig, N_("Number of significant digits"), "N" },
    { "mark", 0, 0, G_OPTION_ARG_NONE, &mark, N_("Mark a final 5 with (+) or (-) as GB/T 8170 3.3 asks of reported values"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("VALUE — round a value per GB/T 8170"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* A negative VALUE looks like an option: keep unknown ones as arguments. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "VALUE"))
    return CB_CLI_EXIT_BAD_INPUT;
  if (argv[1][0] == '-' && !g_ascii_isdigit (argv[1][1]) && argv[1][1] != '.')
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("unknown option “%s”"), argv[1]);

  if ((interval_text != NULL) == (sig != 0))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("give either --interval or --sig"));
  if (sig < 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--sig: expected a positive number of digits, found %d"), sig);

  value = parse_decimal (argv[1], "VALUE", &error);
  if (value == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  if (interval_text != NULL)
    {
      interval = parse_decimal (interval_text, "--interval", &error);
      if (interval == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      if (mark)
        {
          /* Marks apply to rounding at a power of ten (a final 5 only
           * means something there). */
          if (!g_str_equal (interval->coefficient, "1"))
            return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--mark needs an interval that is a power of ten, such as 0.1"));
          result = cb_round_for_report (value, interval->exponent);
        }
      else
        result = cb_round_to_interval (value, interval, &error);
    }
  else
    {
      if (mark)
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--mark needs --interval"));
      result = cb_round_to_significant (value, (guint) sig, &error);
    }

  if (result == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  text = cb_decimal_to_string (result);
  sci = cb_decimal_to_string_sci (result);
  if (json)
    {
      g_autofree char *sig_text = sig ? g_strdup_printf ("%d", sig) : NULL;

      print_object ("value", argv[1],
                    "interval", interval_text,
                    "sig", sig_text,
                    "result", text,
                    "scientific", sci,
                    "mark", mark_name (result->mark),
                    NULL);
    }
  else if (sig != 0 && cb_decimal_get_last_place (result) > 0)
    printf ("%s\n", sci);  /* 2500 to one digit reads 2×10^3, not 2000 */
  else
    printf ("%s\n", text);

  return CB_CLI_EXIT_OK;
}

int
cb_cli_report (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) value = NULL;
  g_autoptr(CbDecimal) expanded = NULL;
  g_autoptr(CbDecimal) value_out = NULL;
  g_autoptr(CbDecimal) expanded_out = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *expanded_text = NULL;
  g_autofree char *y = NULL;
  g_autofree char *U = NULL;
  int sig = 0;
  gboolean round_up = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "value", 0, 0, G_OPTION_ARG_STRING, &value_text, N_("The measured value y"), "Y" },
    { "U", 0, 0, G_OPTION_ARG_STRING, &expanded_text, N_("The expanded uncertainty U"), "U" },
    { "sig", 0, 0, G_OPTION_ARG_INT, &sig, N_("Significant digits of U: 1 or 2 (default: 2 when U starts with 1 or 2)"), "N" },
    { "round-up", 0, 0, G_OPTION_ARG_NONE, &round_up, N_("Round U up instead of to nearest"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— report a result with its expanded uncertainty per JJF 1059.1"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (sig < 0 || sig > 2)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--sig: expected 1 or 2, found %d"), sig);

  value = parse_decimal (value_text, "--value", &error);
  if (value == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  expanded = parse_decimal (expanded_text, "--U", &error);
  if (expanded == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  if (!cb_report_result (value, expanded, (guint) sig, round_up, &value_out, &expanded_out, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  y = cb_decimal_to_string (value_out);
  U = cb_decimal_to_string (expanded_out);
  if (json)
    print_object ("value", y, "U", U, NULL);
  else
    printf ("%s ± %s\n", y, U);

  return CB_CLI_EXIT_OK;
}

int
cb_cli_judge (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) value = NULL;
  g_autoptr(CbDecimal) compared = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *method_text = NULL;
  g_autofree char *compared_text = NULL;
  gboolean json = FALSE;
  gboolean conforms = FALSE;
  CbLimitMethod method;
  GOptionEntry entries[] = {
    { "value", 0, 0, G_OPTION_ARG_STRING, &value_text, N_("The measured value, as measured"), "V" },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit, N_("The limit: >=97.0, <0.5, 10.0~12.0…"), "LIMIT" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_text, N_("Comparison method: rounded or full (default rounded)"), "METHOD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— judge a value against a limit per GB/T 8170"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;

  if (method_text == NULL || g_str_equal (method_text, "rounded"))
    method = CB_LIMIT_METHOD_ROUNDED;
  else if (g_str_equal (method_text, "full"))
    method = CB_LIMIT_METHOD_FULL;
  else
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--method: expected “rounded” or “full”, found “%s”"), method_text);

  value = parse_decimal (value_text, "--value", &error);
  if (value == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (limit == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--limit is required"));

  if (!cb_limit_judge (value, limit, method, &conforms, &compared, &error))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, "--limit “%s”: %s", limit, error->message);

  compared_text = cb_decimal_to_string (compared);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, value_text);
      json_builder_set_member_name (builder, "limit");
      json_builder_add_string_value (builder, limit);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, method == CB_LIMIT_METHOD_ROUNDED ? "rounded" : "full");
      json_builder_set_member_name (builder, "compared");
      json_builder_add_string_value (builder, compared_text);
      json_builder_set_member_name (builder, "conforms");
      json_builder_add_boolean_value (builder, conforms);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
    }
  else
    {
      /* Translators: e.g. "97.0 ≥97.0: conforms" */
      printf ("%s %s: %s\n", compared_text, limit, conforms ? _("conforms") : _("does not conform"));
    }

  return CB_CLI_EXIT_OK;
}
