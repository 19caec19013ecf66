/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include "record-test-util.h"

static CbRecord *
minimal_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_data (MINIMAL, -1, &error);

  g_assert_no_error (error);
  return cb_record_new (tmpl);
}

static void
fill_minimal (CbRecord *record)
{
  record_test_set (record, "b/1/r/1", "1.001");
  record_test_set (record, "b/1/r/2", "1.002");
  record_test_set (record, "b/1/r/3", "1.003");
  record_test_set (record, "b/2/r/1", "1.998");
  record_test_set (record, "b/2/r/2", "2.000");
  record_test_set (record, "b/2/r/3", "2.002");
}

/* Point 1: mean 1.002, s = 0.001, u_res = 0.001/√12 = 0.000288675,
 * u_rep = 0.001/√3 = 0.000577350, u_c = √(8.3333e-8 + 3.3333e-7) =
 * 0.000645497, U = 2 u_c = 0.00129099 → "0.0013" (2 significant digits);
 * e = 0.002 aligned to U's last place → "0.0020"; c = −e.
 * Point 2: mean 2.000, s = 0.002, u_rep = 0.00115470, u_c = 0.00119024,
 * U = 0.00238048 → "0.0024"; e = 0 → "0.0000". */
static void
test_computes (void)
{
  g_autoptr(CbRecord) record = minimal_record ();
  const char *text;

  g_assert_cmpint (cb_record_get_conclusion (record, NULL), ==, CB_CONCLUSION_INCOMPLETE);
  fill_minimal (record);

  g_assert_cmpfloat_with_epsilon (record_test_value (record, "b/1/r"), 1.002, 1e-12);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "b/1/r_s"), 0.001, 1e-12);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "b/1/u_res"), 0.001 / sqrt (12), 1e-15);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "b/1/uc"), 0.000645497, 1e-9);
  g_assert_cmpstr (record_test_text (record, "b/1/U"), ==, "0.0013");
  g_assert_cmpstr (record_test_text (record, "b/1/e"), ==, "0.0020");
  g_assert_cmpstr (record_test_text (record, "b/1/c"), ==, "-0.002");
  g_assert_cmpstr (record_test_text (record, "b/2/U"), ==, "0.0024");
  g_assert_cmpstr (record_test_text (record, "b/2/e"), ==, "0.0000");
  /* The summary takes the extreme point's text. */
  g_assert_cmpstr (record_test_text (record, "emax"), ==, "0.0020");
  g_assert_cmpstr (record_test_decision (record, "b", 1, "ok"), ==, "pass");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_PASS);
  g_assert_cmpstr (text, ==, "ok");

  /* An error of 0.0095 with U 0.0013 fails only when the limit is crossed. */
  record_test_set (record, "b/1/r/1", "1.0105");
  record_test_set (record, "b/1/r/2", "1.0115");
  record_test_set (record, "b/1/r/3", "1.0125");
  g_assert_cmpstr (record_test_text (record, "b/1/e"), ==, "0.0115");
  g_assert_cmpstr (record_test_decision (record, "b", 1, "ok"), ==, "fail");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_FAIL);
  g_assert_cmpstr (text, ==, "bad");
}

/* A rounding interval from an expression ("mpe / 10" with mpe 0.024 is
 * 0.0024000000000000002 in binary) rounds to the decimal it stands for:
 * -0.0096, not -0.0096000000000000008. */
static void
test_computed_interval (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_data (
    "{\"format\": \"calbench-template/1\", \"id\": \"t\", \"title\": \"T\", \"kind\": \"verification\","
    " \"method\": {\"code\": \"JJG 49-2013\", \"name\": \"Y\"},"
    " \"parameters\": [{\"name\": \"mpe\", \"unit\": \"MPa\", \"default\": \"0.024\"}],"
    " \"blocks\": [{\"name\": \"b\", \"nominal\": {\"name\": \"x\", \"unit\": \"MPa\"},"
    "   \"points\": [{\"nominal\": \"1.5\"}, {\"nominal\": \"3\"}, {\"nominal\": \"0.6\"}],"
    "   \"readings\": [{\"name\": \"r\", \"unit\": \"MPa\", \"repeats\": 3}],"
    "   \"columns\": [{\"name\": \"e\", \"unit\": \"MPa\", \"expr\": \"r - x\","
    "                  \"round\": {\"interval\": \"mpe / 10\"}}]}],"
    " \"conclusion\": {\"pass\": \"ok\", \"fail\": \"bad\"}}", -1, &error);
  g_autoptr(CbRecord) record = NULL;

  g_assert_no_error (error);
  record = cb_record_new (tmpl);
  record_test_set (record, "b/1/r/1", "1.492");
  record_test_set (record, "b/1/r/2", "1.493");
  record_test_set (record, "b/1/r/3", "1.489");
  record_test_set (record, "b/2/r/1", "3.005");
  record_test_set (record, "b/2/r/2", "3.004");
  record_test_set (record, "b/2/r/3", "3.003");
  record_test_set (record, "b/3/r/1", "0.601");
  record_test_set (record, "b/3/r/2", "0.601");
  record_test_set (record, "b/3/r/3", "0.598");
  /* Means 1.4913, 3.0040, 0.6000; errors at multiples of 0.0024. */
  g_assert_cmpstr (record_test_text (record, "b/1/e"), ==, "-0.0096");
  g_assert_cmpstr (record_test_text (record, "b/2/e"), ==, "0.0048");
  g_assert_cmpstr (record_test_text (record, "b/3/e"), ==, "0.0000");
}

static void
test_partial_errors (void)
{
  g_autoptr(CbRecord) record = minimal_record ();
  CbCell cell;

  fill_minimal (record);
  record_test_set (record, "b/1/r/2", "1.0O2");

  g_assert_true (cb_record_get_cell (record, "b/1/r/2", &cell, NULL));
  g_assert_cmpint (cell.state, ==, CB_CELL_ERROR);
  g_assert_cmpstr (cell.text, ==, "1.0O2");
  g_assert_nonnull (strstr (cell.message, "expected a number"));

  g_assert_true (cb_record_get_cell (record, "b/1/e", &cell, NULL));
  g_assert_cmpint (cell.state, ==, CB_CELL_ERROR);
  g_assert_nonnull (strstr (cell.message, "'r'"));
  /* The other point still computes. */
  g_assert_cmpstr (record_test_text (record, "b/2/U"), ==, "0.0024");
  g_assert_cmpint (cb_record_get_conclusion (record, NULL), ==, CB_CONCLUSION_INCOMPLETE);

  /* A reading in another unit is refused in its cell; the right unit is read. */
  record_test_set (record, "b/1/r/2", "1002 mV");
  g_assert_true (cb_record_get_cell (record, "b/1/r/2", &cell, NULL));
  g_assert_cmpint (cell.state, ==, CB_CELL_ERROR);
  g_assert_nonnull (strstr (cell.message, "expected a value in V, found mV"));
  record_test_set (record, "b/1/r/2", "1.002 V");
  g_assert_cmpstr (record_test_text (record, "b/1/e"), ==, "0.0020");

  /* A domain error: a negative resolution makes u_res's sqrt fine but the
   * component negative. */
  record_test_set (record, "res", "-0.001");
  g_assert_true (cb_record_get_cell (record, "b/1/u_res", &cell, NULL));
  g_assert_cmpint (cell.state, ==, CB_CELL_ERROR);
  g_assert_nonnull (strstr (cell.message, "negative"));
  g_assert_true (cb_record_get_cell (record, "b/1/e", &cell, NULL));
  g_assert_cmpint (cell.state, ==, CB_CELL_ERROR);
}

static void
test_bad_ids (void)
{
  g_autoptr(CbRecord) record = minimal_record ();
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_record_set_value (record, "b/3/r/1", "1", &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL);
  g_assert_nonnull (strstr (error->message, "from 1 to 2"));
  g_clear_error (&error);
  g_assert_false (cb_record_set_value (record, "b/1/r/4", "1", &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL);
  g_clear_error (&error);
  g_assert_false (cb_record_set_value (record, "b/1/e", "1", &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "computed"));
  g_clear_error (&error);
  g_assert_false (cb_record_set_value (record, "q/1/r/1", "1", &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL);
  g_assert_nonnull (strstr (error->message, "no block 'q'"));
  g_clear_error (&error);
  g_assert_false (cb_record_set_value (record, "nothing", "1", &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_UNKNOWN_CELL);
}

static void
test_incremental (void)
{
  g_autoptr(CbRecord) record = minimal_record ();
  guint full;

  fill_minimal (record);
  record_test_set (record, "res", "0.001");
  full = cb_record_get_last_recomputed (record);
  record_test_set (record, "b/2/r/3", "2.003");
  /* One point's e, c, u_rep, u_c, U (u_res does not depend on the reading),
   * then the summary: far fewer than the full recomputation. */
  g_assert_cmpuint (cb_record_get_last_recomputed (record), ==, 6);
  g_assert_cmpuint (full, >, 6);
  /* e, c, u_res, u_rep, u_c, U at each of two points, and the summary. */
  g_assert_cmpuint (full, ==, 2 * 6 + 1);
}

static void
test_round_trip (void)
{
  g_autoptr(CbRecord) record = minimal_record ();
  g_autoptr(CbRecord) loaded = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tampered = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  fill_minimal (record);
  data = cb_record_to_json (record);
  results = cb_record_results_to_json (record);
  json_generator_set_root (generator, results);
  text = json_generator_to_data (generator, NULL);

  loaded = cb_record_new_from_json (cb_record_get_template (record), data, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  g_assert_true (cb_record_verify_results (loaded, json_parser_get_root (parser), &error));
  g_assert_no_error (error);

  /* A stored result that the inputs do not give is reported, by place. */
  tampered = g_strdup (text);
  {
    char *at = strstr (tampered, "\"0.0024\"");

    g_assert_nonnull (at);
    at[5] = '5';
  }
  g_assert_true (json_parser_load_from_data (parser, tampered, -1, NULL));
  g_assert_false (cb_record_verify_results (loaded, json_parser_get_root (parser), &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "blocks.b[2].cells.U.text"));
  g_assert_nonnull (strstr (error->message, "stored \"0.0054\" but recomputed \"0.0024\""));
}

static void
test_snapshot (void)
{
  g_autoptr(CbRecord) record = minimal_record ();
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) changed = NULL;
  g_autoptr(CbRecord) loaded = NULL;
  const char *at = strstr (MINIMAL, "\"k\": 2");
  g_autofree char *json = g_strdup_printf ("%.*s\"k\": 3%s", (int) (at - MINIMAL), MINIMAL, at + 6);

  fill_minimal (record);
  data = cb_record_to_json (record);
  changed = cb_template_new_from_data (json, -1, &error);
  g_assert_no_error (error);

  /* The record keeps computing with its own template… */
  g_assert_cmpstr (record_test_text (record, "b/1/U"), ==, "0.0013");
  /* …and refuses to be read with another version. */
  loaded = cb_record_new_from_json (changed, data, &error);
  g_assert_null (loaded);
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_TEMPLATE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records/engine/computes", test_computes);
  g_test_add_func ("/records/engine/partial-errors", test_partial_errors);
  g_test_add_func ("/records/engine/bad-ids", test_bad_ids);
  g_test_add_func ("/records/engine/incremental", test_incremental);
  g_test_add_func ("/records/engine/round-trip", test_round_trip);
  g_test_add_func ("/records/engine/computed-interval", test_computed_interval);
  g_test_add_func ("/records/engine/snapshot", test_snapshot);

  return g_test_run ();
}
