/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/cb-budget.h"

G_BEGIN_DECLS

/*
 * The result of an uncertainty budget: the reported y ± U of one output
 * (JJF 1059.1), its GUM figures, and beside them those of a Monte Carlo
 * run (GUM Supplement 1) that the panel starts, follows and stops.
 */

#define CB_TYPE_RESULT_PANEL (cb_result_panel_get_type ())

G_DECLARE_FINAL_TYPE (CbResultPanel, cb_result_panel, CB, RESULT_PANEL, GtkWidget)

CbResultPanel     *cb_result_panel_new               (void);
/* Shows @result (taken over) of @budget (referenced): the output shown
 * before if it is still reported, else the first reported one. */
void               cb_result_panel_show_result       (CbResultPanel  *self,
                                                      CbBudget       *budget,
                                                      CbGumResult    *result);
/* No result; @message says what to do to get one. */
void               cb_result_panel_show_empty        (CbResultPanel  *self,
                                                      const char     *message);
/* The fields no longer give the result shown: it stays, dimmed, with
 * @message; with no result yet, @message is shown instead. */
void               cb_result_panel_set_stale         (CbResultPanel  *self,
                                                      const char     *message);
/* TRUE when a result is shown and matches the fields. */
gboolean           cb_result_panel_has_result        (CbResultPanel  *self);
CbBudget          *cb_result_panel_get_budget        (CbResultPanel  *self);
/* The output shown, or NULL. */
const CbGumOutput *cb_result_panel_get_output        (CbResultPanel  *self);
/* Stops a run and forgets its result, for a budget that starts anew. */
void               cb_result_panel_reset_monte_carlo (CbResultPanel  *self);

G_END_DECLS
