/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * One line of an uncertainty budget table, as shown: every number already
 * formatted by the core's rounding, plus the share of the variance as a
 * fraction for the bar (clamped to 0…1; its text is not).
 */

#define CB_TYPE_BUDGET_LINE (cb_budget_line_get_type ())

G_DECLARE_FINAL_TYPE (CbBudgetLine, cb_budget_line, CB, BUDGET_LINE, GObject)

CbBudgetLine *cb_budget_line_new              (const char   *input,
                                               const char   *description,
                                               const char   *value,
                                               const char   *uncertainty,
                                               const char   *sensitivity,
                                               const char   *contribution,
                                               const char   *dof,
                                               double        share);
const char   *cb_budget_line_get_input        (CbBudgetLine *self);
const char   *cb_budget_line_get_value        (CbBudgetLine *self);
const char   *cb_budget_line_get_uncertainty  (CbBudgetLine *self);
const char   *cb_budget_line_get_sensitivity  (CbBudgetLine *self);
const char   *cb_budget_line_get_contribution (CbBudgetLine *self);
const char   *cb_budget_line_get_dof          (CbBudgetLine *self);
double        cb_budget_line_get_share        (CbBudgetLine *self);
const char   *cb_budget_line_get_share_text   (CbBudgetLine *self);

G_END_DECLS
