/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "record-test-util.h"

CbTemplate *
record_test_load_template (const char *name)
{
  g_autofree char *path = g_build_filename (TEMPLATE_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  CbTemplate *tmpl;

  tmpl = cb_template_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tmpl);
  return tmpl;
}

void
record_test_set (CbRecord   *record,
                 const char *cell,
                 const char *text)
{
  g_autoptr(GError) error = NULL;

  cb_record_set_value (record, cell, text, &error);
  g_assert_no_error (error);
}

const char *
record_test_text (CbRecord   *record,
                  const char *cell)
{
  g_autoptr(GError) error = NULL;
  CbCell out;

  cb_record_get_cell (record, cell, &out, &error);
  g_assert_no_error (error);
  if (out.state != CB_CELL_OK)
    g_error ("%s: state %d, %s", cell, out.state, out.message != NULL ? out.message : "(empty)");
  return out.text;
}

double
record_test_value (CbRecord   *record,
                   const char *cell)
{
  CbCell out;

  record_test_text (record, cell);
  cb_record_get_cell (record, cell, &out, NULL);
  return out.value;
}

const char *
record_test_decision (CbRecord   *record,
                      const char *block,
                      guint       point,
                      const char *check)
{
  CbDecisionResult result;

  if (!cb_record_get_check (record, block, point, check, &result))
    return "undecided";
  return cb_decision_to_string (result.decision);
}
