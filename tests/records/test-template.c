/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "record-test-util.h"

static char *
replace (const char *text,
         const char *old,
         const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static void
assert_refused (const char *json,
                int         code,
                const char *fragment_1,
                const char *fragment_2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_data (json, -1, &error);

  g_assert_null (tmpl);
  g_assert_error (error, CB_TEMPLATE_ERROR, code);
  if (strstr (error->message, fragment_1) == NULL
      || (fragment_2 != NULL && strstr (error->message, fragment_2) == NULL))
    g_error ("message '%s' lacks '%s' or '%s'", error->message, fragment_1,
             fragment_2 != NULL ? fragment_2 : "");
}

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_data (MINIMAL, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cb_template_get_id (tmpl), ==, "t");
  g_assert_cmpint (cb_template_get_kind (tmpl), ==, CB_TEMPLATE_KIND_CALIBRATION);
  g_assert_cmpuint (cb_template_get_n_blocks (tmpl), ==, 1);
  g_assert_cmpstr (cb_template_get_block_name (tmpl, 0), ==, "b");
  g_assert_cmpuint (cb_template_get_n_parameters (tmpl), ==, 1);
  g_assert_cmpuint (strlen (cb_template_get_digest (tmpl)), ==, 64);
}

static void
test_unknown_name (void)
{
  g_autofree char *json = replace (MINIMAL, "\"r - x\"", "\"r - y\"");

  assert_refused (json, CB_TEMPLATE_ERROR_UNKNOWN_NAME, "blocks[0].columns[0] (e)", "'y'");
}

static void
test_cycle (void)
{
  g_autofree char *json = replace (MINIMAL, "\"r - x\"", "\"r - x + 0 * c\"");

  assert_refused (json, CB_TEMPLATE_ERROR_CYCLE, "depends on itself", "→");
}

static void
test_unit_mismatch (void)
{
  g_autofree char *column = replace (MINIMAL, "{\"name\": \"e\", \"unit\": \"V\"", "{\"name\": \"e\", \"unit\": \"mV\"");
  g_autofree char *sum = replace (MINIMAL, "\"r - x\"", "\"r - x * res\"");
  g_autofree char *function = replace (MINIMAL, "\"-e\"", "\"ln(e)\"");

  assert_refused (column, CB_TEMPLATE_ERROR_UNIT, "is in V but should be in mV", NULL);
  assert_refused (sum, CB_TEMPLATE_ERROR_UNIT, "V and V²", "the units differ");
  assert_refused (function, CB_TEMPLATE_ERROR_UNIT, "must be dimensionless", NULL);
}

static void
test_missing_unit (void)
{
  g_autofree char *json = replace (MINIMAL, "{\"name\": \"res\", \"unit\": \"V\",", "{\"name\": \"res\",");

  assert_refused (json, CB_TEMPLATE_ERROR_UNIT, "parameters[0] (res)", "has no unit");
}

static void
test_duplicate (void)
{
  g_autofree char *json = replace (MINIMAL, "{\"name\": \"c\"", "{\"name\": \"r\"");

  assert_refused (json, CB_TEMPLATE_ERROR_DUPLICATE, "already used by blocks[0].readings[0] (r)", NULL);
}

static void
test_bad_fields (void)
{
  g_autofree char *unknown = replace (MINIMAL, "\"title\": \"T\"", "\"title\": \"T\", \"colour\": \"red\"");
  g_autofree char *syntax = replace (MINIMAL, "\"r - x\"", "\"r - \"");
  g_autofree char *format = replace (MINIMAL, "calbench-template/1", "calbench-template/9");
  g_autofree char *kind = replace (MINIMAL, "\"calibration\"", "\"guess\"");
  g_autofree char *stat = replace (MINIMAL, "\"r_s / sqrt(r_n)\"", "\"r_sd / sqrt(r_n)\"");
  g_autofree char *of = replace (MINIMAL, "\"of\": \"e\"", "\"of\": \"res\"");
  g_autofree char *procedure = replace (MINIMAL, "\"checks\": [{\"name\": \"ok\"",
    "\"procedure\": {\"acquire\": [{\"reading\": \"q\", \"role\": \"uut\", \"quantity\": \"dcv\"}]},"
    " \"checks\": [{\"name\": \"ok\"");
  g_autofree char *quantity = replace (MINIMAL, "\"checks\": [{\"name\": \"ok\"",
    "\"procedure\": {\"source\": {\"role\": \"calibrator\", \"quantity\": \"volts\", \"value\": \"x\"}},"
    " \"checks\": [{\"name\": \"ok\"");

  assert_refused (unknown, CB_TEMPLATE_ERROR_INVALID, "unknown field 'colour'", NULL);
  assert_refused (syntax, CB_TEMPLATE_ERROR_INVALID, "blocks[0].columns[0] (e)", "position");
  assert_refused (format, CB_TEMPLATE_ERROR_INVALID, "format", "calbench-template/9");
  assert_refused (kind, CB_TEMPLATE_ERROR_INVALID, "kind", "guess");
  assert_refused (stat, CB_TEMPLATE_ERROR_UNKNOWN_NAME, "u_rep", "r_sd");
  assert_refused (of, CB_TEMPLATE_ERROR_UNKNOWN_NAME, "summary[0]", "'res' is not a column");
  assert_refused (procedure, CB_TEMPLATE_ERROR_UNKNOWN_NAME, "blocks[0].procedure.acquire[0]", "'q'");
  assert_refused (quantity, CB_TEMPLATE_ERROR_INVALID, "blocks[0].procedure.source", "'volts'");
  assert_refused ("{\"format\": ", CB_TEMPLATE_ERROR_PARSE, "not a JSON template", NULL);
  assert_refused ("[1, 2]", CB_TEMPLATE_ERROR_INVALID, "expected an object", NULL);
}

static void
test_shipped (void)
{
  g_autoptr(GDir) dir = g_dir_open (TEMPLATE_DIR, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(CbTemplate) tmpl = NULL;
      g_autoptr(CbTemplate) again = NULL;
      g_autofree char *exported = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      tmpl = record_test_load_template (name);
      /* Export and import give the same template. */
      exported = cb_template_to_data (tmpl);
      again = cb_template_new_from_data (exported, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cb_template_get_digest (again), ==, cb_template_get_digest (tmpl));
      count++;
    }
  g_assert_cmpuint (count, >=, 4);

  /* The same templates are built into the library. */
  {
    g_auto(GStrv) ids = cb_template_list_shipped ();
    g_autoptr(GError) error = NULL;

    g_assert_cmpuint (g_strv_length (ids), ==, count);
    for (guint i = 0; ids[i] != NULL; i++)
      {
        g_autofree char *file = g_strconcat (ids[i], ".json", NULL);
        g_autoptr(CbTemplate) from_file = record_test_load_template (file);
        g_autoptr(CbTemplate) built_in = cb_template_new_shipped (ids[i], &error);

        g_assert_no_error (error);
        g_assert_cmpstr (cb_template_get_id (built_in), ==, ids[i]);
        g_assert_cmpstr (cb_template_get_digest (built_in), ==, cb_template_get_digest (from_file));
      }
    g_assert_null (cb_template_new_shipped ("no-such-template", &error));
    g_assert_error (error, CB_TEMPLATE_ERROR, CB_TEMPLATE_ERROR_INVALID);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records/template/minimal", test_minimal);
  g_test_add_func ("/records/template/unknown-name", test_unknown_name);
  g_test_add_func ("/records/template/cycle", test_cycle);
  g_test_add_func ("/records/template/unit-mismatch", test_unit_mismatch);
  g_test_add_func ("/records/template/missing-unit", test_missing_unit);
  g_test_add_func ("/records/template/duplicate", test_duplicate);
  g_test_add_func ("/records/template/bad-fields", test_bad_fields);
  g_test_add_func ("/records/template/shipped", test_shipped);

  return g_test_run ();
}
