/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/cb-budget.h"

G_BEGIN_DECLS

/*
 * The uncertainty budget of one output as a table (GUM Table H.1 style):
 * each input's value, standard uncertainty, sensitivity coefficient,
 * contribution, degrees of freedom and share of the variance.
 */

#define CB_TYPE_BUDGET_TABLE (cb_budget_table_get_type ())

G_DECLARE_FINAL_TYPE (CbBudgetTable, cb_budget_table, CB, BUDGET_TABLE, GtkWidget)

CbBudgetTable *cb_budget_table_new       (void);
/* Shows @output of @budget (the budget gives the units and descriptions);
 * a NULL @output empties the table. */
void           cb_budget_table_show      (CbBudgetTable      *self,
                                          const CbBudget     *budget,
                                          const CbGumOutput  *output);
/* Dims the table when it no longer matches the fields. */
void           cb_budget_table_set_stale (CbBudgetTable      *self,
                                          gboolean            stale);
/* The lines shown, of CbBudgetLine. */
GListModel    *cb_budget_table_get_lines (CbBudgetTable      *self);

G_END_DECLS
