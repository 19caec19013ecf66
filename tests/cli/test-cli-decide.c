/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cli-runner.h"

/* End-to-end tests of `calbench-cli decide`: each runs the real program and
 * checks its exit status, its output and its messages. */

/* Runs `calbench-cli decide` with the NULL-terminated arguments. */
static void
run_decide (Run        *run,
            const char *first_arg,
            ...)
{
  va_list args;

  va_start (args, first_arg);
  run_cli_v (run, "decide", first_arg, args);
  va_end (args);
}

/* The machine name of the decision for --error @e --mpe @mpe --U @U --rule @rule. */
static char *
decide_json (const char *rule,
             const char *e,
             const char *mpe,
             const char *U)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_decide (&run, "--rule", rule, "--error", e, "--mpe", mpe, "--U", U, "--json", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "rule"), ==,
                   g_str_equal (rule, "guard") ? "guarded-acceptance"
                   : g_str_equal (rule, "ilac") ? "ilac-g8" : rule);
  return g_strdup (json_object_get_string_member (object, "decision"));
}

static void
assert_decision (const char *rule,
                 const char *e,
                 const char *mpe,
                 const char *U,
                 const char *expected)
{
  g_autofree char *decision = decide_json (rule, e, mpe, U);

  g_assert_cmpstr (decision, ==, expected);
}

static void
assert_bad_input (const char *expected_in_message,
                  const char *first_arg,
                  ...)
{
  g_auto(Run) run = { 0 };
  va_list args;

  va_start (args, first_arg);
  run_cli_v (&run, "decide", first_arg, args);
  va_end (args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  if (strstr (run.err, expected_in_message) == NULL)
    g_error ("expected “%s” in the message, found “%s”", expected_in_message, run.err);
}

static void
test_jjf1094 (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  /* U > MPE/3: pass ≤ MPE − U, undetermined between, fail ≥ MPE + U. */
  assert_decision ("jjf1094", "0.5", "1", "0.5", "pass");
  assert_decision ("jjf1094", "-0.7", "1", "0.5", "undetermined");
  assert_decision ("jjf1094", "1.4", "1", "0.5", "undetermined");
  assert_decision ("jjf1094", "1.5", "1", "0.5", "fail");
  /* U ≤ MPE/3: |e| ≤ MPE decides alone. */
  assert_decision ("jjf1094", "0.95", "1", "0.3", "pass");
  assert_decision ("jjf1094", "-1.05", "1", "0.3", "fail");

  /* The default rule is JJF 1094. */
  run_decide (&run, "--error", "0.95", "--mpe", "1", "--U", "0.3", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "rule"), ==, "jjf1094");
  g_assert_true (json_object_get_boolean_member (object, "direct"));
  g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (object, "statement"), ==, "Pass");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "ratio"), 0.3, 1e-12);
}

static void
test_formula (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  /* MPE = 0.005 + 0.002 + 0.002 = 0.009 V; U = 0.004 V > MPE/3. */
  run_decide (&run, "--error", "0.007", "--mpe", "0.05%rdg+0.01%FS+2d", "--reading", "10",
              "--range", "20", "--resolution", "0.001", "--U", "0.004", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "mpe"), 0.009, 1e-12);
  g_assert_cmpstr (json_object_get_string_member (object, "mpe_formula"), ==, "±(0.05%rdg + 0.01%FS + 2d)");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "acceptance_limit"), 0.005, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "rejection_limit"), 0.013, 1e-12);
  g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "undetermined");
  /* p_c = Φ((0.009 − 0.007)/0.002) − Φ((−0.009 − 0.007)/0.002) = Φ(1). */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "conformance_probability"),
                                  0.8413447460685429, 1e-9);

  /* Readable output: the statement first, then the numbers. */
  run_decide (&run, "--error", "0.007", "--mpe", "0.05%rdg+0.01%FS+2d", "--reading", "10",
              "--range", "20", "--resolution", "0.001", "--U", "0.004", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Undetermined (JJF 1094: |e| is within MPEV ± U95)\n"));
  g_assert_nonnull (strstr (run.out, "MPE: 0.009 (±(0.05%rdg + 0.01%FS + 2d))"));
  g_assert_nonnull (strstr (run.out, "|e| ≤ 0.005"));
  g_assert_nonnull (strstr (run.out, "|e| ≥ 0.013"));
  g_assert_nonnull (strstr (run.out, "0.8413"));

  /* An accuracy class needs only the range: 0.4 % of 10 = 0.04. */
  run_decide (&run, "--rule", "simple", "--error", "0.05", "--mpe", "class 0.4", "--range", "10",
              "--U", "0.01", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_clear_pointer (&object, json_object_unref);
  object = parse_json (run.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "mpe"), 0.04, 1e-12);
  g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "fail");
}

static void
test_simple (void)
{
  assert_decision ("simple", "0.9", "1", "0.5", "pass");
  assert_decision ("simple", "-1", "1", "0.5", "pass");
  assert_decision ("simple", "1.1", "±1", "0", "fail");
}

static void
test_guard (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  assert_decision ("guard", "0.8", "1", "0.2", "pass");
  assert_decision ("guard", "-0.85", "1", "0.2", "fail");
  assert_decision ("guarded-rejection", "1.2", "1", "0.2", "pass");
  assert_decision ("guarded-rejection", "1.25", "1", "0.2", "fail");

  /* r = 0.5 halves the guard band: 0.85 is inside MPE − 0.1. */
  run_decide (&run, "--rule", "guard", "--guard-factor", "0.5", "--error", "0.85", "--mpe", "1",
              "--U", "0.2", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "pass");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "guard_band"), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "guard_factor"), 0.5, 1e-12);
}

static void
test_ilac (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  assert_decision ("ilac", "0.8", "1", "0.2", "pass");
  assert_decision ("ilac", "0.9", "1", "0.2", "conditional-pass");
  assert_decision ("ilac", "-1.1", "1", "0.2", "conditional-fail");
  assert_decision ("ilac-g8", "1.3", "1", "0.2", "fail");

  /* On the limit the conformance probability is one half; at the
   * acceptance limit MPE − U (k = 2) the risk is Φ(−2). */
  run_decide (&run, "--rule", "ilac", "--error", "1", "--mpe", "1", "--U", "0.2", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "statement"), ==,
                   "Conditional pass (the error is within the limit but the expanded uncertainty interval crosses it)");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "conformance_probability"), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "risk_at_acceptance_limit"),
                                  0.022750131948179195, 1e-9);

  /* --k changes the probabilities, not the decision. */
  run_decide (&run, "--rule", "ilac", "--error", "0.8", "--mpe", "1", "--U", "0.2", "--k", "1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Pass"));
  g_assert_nonnull (strstr (run.out, "(k = 1)"));
  g_assert_nonnull (strstr (run.out, "Conformance probability: 0.8413"));
}

static void
test_bad_input (void)
{
  assert_bad_input ("--error is required", "--mpe", "1", "--U", "0.5", NULL);
  assert_bad_input ("--error", "--error", "abc", "--mpe", "1", "--U", "0.5", NULL);
  assert_bad_input ("--mpe is required", "--error", "0.1", "--U", "0.5", NULL);
  assert_bad_input ("--U is required", "--error", "0.1", "--mpe", "1", NULL);
  assert_bad_input ("--U: expected a non-negative number", "--error", "0.1", "--mpe", "1", "--U", "-1", NULL);
  assert_bad_input ("--k", "--error", "0.1", "--mpe", "1", "--U", "0.5", "--k", "0", NULL);
  assert_bad_input ("--guard-factor", "--error", "0.1", "--mpe", "1", "--U", "0.5", "--guard-factor", "-1", NULL);
  assert_bad_input ("--rule", "--error", "0.1", "--mpe", "1", "--U", "0.5", "--rule", "strict", NULL);
  assert_bad_input ("position 6", "--error", "0.1", "--mpe", "0.05%xx", "--U", "0.5", NULL);
  assert_bad_input ("--mpe “0.05%FS%”", "--error", "0.1", "--mpe", "0.05%FS%", "--U", "0.5", NULL);
  assert_bad_input ("--range", "--error", "0.1", "--mpe", "1.5%FS", "--U", "0.5", NULL);
  assert_bad_input ("--reading", "--error", "0.1", "--mpe", "0.5%rdg", "--U", "0.5", NULL);
  assert_bad_input ("--resolution", "--error", "0.1", "--mpe", "0.5%rdg+2d", "--reading", "1", "--U", "0.5", NULL);
  assert_bad_input ("--range", "--error", "0.1", "--mpe", "1.5%FS", "--range", "-3", "--U", "0.5", NULL);
  assert_bad_input ("positive maximum permissible error", "--error", "0.1", "--mpe", "0", "--U", "0.5", NULL);
  assert_bad_input ("--bogus", "--error", "0.1", "--mpe", "1", "--U", "0.5", "--bogus", NULL);
  assert_bad_input ("extra", "--error", "0.1", "--mpe", "1", "--U", "0.5", "extra", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/decide/jjf1094", test_jjf1094);
  g_test_add_func ("/cli/decide/formula", test_formula);
  g_test_add_func ("/cli/decide/simple", test_simple);
  g_test_add_func ("/cli/decide/guard", test_guard);
  g_test_add_func ("/cli/decide/ilac", test_ilac);
  g_test_add_func ("/cli/decide/bad-input", test_bad_input);

  return g_test_run ();
}
