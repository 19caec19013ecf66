/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The uncertainty calculator: edits a budget (model, inputs, correlations,
 * coverage) and shows its GUM evaluation live as the user types, with its
 * budget table, and on demand a Monte Carlo evaluation beside it.  The
 * budget is the JSON format of cb-budget.h, so files open in calbench-cli
 * too.
 */

#define CB_TYPE_CALCULATOR_PAGE (cb_calculator_page_get_type ())

G_DECLARE_FINAL_TYPE (CbCalculatorPage, cb_calculator_page, CB, CALCULATOR_PAGE, GtkWidget)

CbCalculatorPage *cb_calculator_page_new          (void);
/* Replaces the budget shown by @root (a budget JSON object).  The fields are
 * filled even when the budget is not valid, so that its errors show next to
 * them; FALSE only when @root is not an object. */
gboolean          cb_calculator_page_load_json    (CbCalculatorPage  *self,
                                                   JsonNode          *root,
                                                   GError           **error);
/* The budget as the fields give it; NULL (with the first error) when a
 * field does not read as a number. */
JsonNode         *cb_calculator_page_build_json   (CbCalculatorPage  *self,
                                                   GError           **error);
void              cb_calculator_page_load_example (CbCalculatorPage  *self);
/* Opens @file in the background; failures are shown on the page. */
void              cb_calculator_page_open         (CbCalculatorPage  *self,
                                                   GFile             *file);
/* Saves the budget to @file in the background; failures are shown on the
 * page.  Nothing is written while a field does not read as a number. */
void              cb_calculator_page_save         (CbCalculatorPage  *self,
                                                   GFile             *file);
/* TRUE when the fields make a budget that evaluates. */
gboolean          cb_calculator_page_has_result   (CbCalculatorPage  *self);

G_END_DECLS
