/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "core/cb-budget.h"

G_BEGIN_DECLS

/*
 * One input quantity of the uncertainty calculator, edited in place: name,
 * value, unit, how its uncertainty is given (its kind), the fields that kind
 * needs and the degrees of freedom.  The row turns its fields into the
 * budget JSON of one input (cb-budget.h), and shows errors next to them.
 */

typedef enum
{
  CB_INPUT_ROW_KIND_STANDARD,     /* u */
  CB_INPUT_ROW_KIND_EXPANDED_K,   /* U and k */
  CB_INPUT_ROW_KIND_EXPANDED_P,   /* U, p and dof */
  CB_INPUT_ROW_KIND_RECTANGULAR,  /* half-width a */
  CB_INPUT_ROW_KIND_TRIANGULAR,
  CB_INPUT_ROW_KIND_ARCSINE,
  CB_INPUT_ROW_KIND_TRAPEZOIDAL,  /* a and β */
  CB_INPUT_ROW_KIND_READINGS,     /* Type A */
} CbInputRowKind;

/* The columns of a row, for lining rows up with a header. */
typedef enum
{
  CB_INPUT_ROW_COLUMN_NAME,
  CB_INPUT_ROW_COLUMN_VALUE,
  CB_INPUT_ROW_COLUMN_UNIT,
  CB_INPUT_ROW_COLUMN_KIND,
  CB_INPUT_ROW_COLUMN_PARAMETERS,
  CB_INPUT_ROW_COLUMN_DOF,
  CB_INPUT_ROW_COLUMN_REMOVE,
  CB_INPUT_ROW_N_COLUMNS,
} CbInputRowColumn;

#define CB_TYPE_INPUT_ROW (cb_input_row_get_type ())

G_DECLARE_FINAL_TYPE (CbInputRow, cb_input_row, CB, INPUT_ROW, GtkWidget)

CbInputRow     *cb_input_row_new                (void);
/* The name as typed, without surrounding spaces. */
char           *cb_input_row_dup_name           (CbInputRow          *self);
void            cb_input_row_set_name           (CbInputRow          *self,
                                                 const char          *name);
CbInputRowKind  cb_input_row_get_kind           (CbInputRow          *self);
void            cb_input_row_set_kind           (CbInputRow          *self,
                                                 CbInputRowKind       kind);
/* FALSE for a row just added and not yet touched: it takes no part in the
 * budget, so that adding a row does not flag errors at once. */
gboolean        cb_input_row_get_edited         (CbInputRow          *self);
/* Fills the fields from one member of a budget's "inputs" as found in a
 * file, without judging it (the budget does that); what the row cannot show
 * as such is converted, and a sentence saying so is added to @notes. */
void            cb_input_row_load               (CbInputRow          *self,
                                                 const char          *name,
                                                 JsonNode            *input,
                                                 GPtrArray           *notes);
/* The budget JSON object of this input, or NULL when a field does not read
 * as a number (the row then shows why). */
JsonNode       *cb_input_row_build              (CbInputRow          *self);
void            cb_input_row_clear_error        (CbInputRow          *self);
/* Shows @message under the row and marks the entry of @field (a key of the
 * budget format: "value", "U", "dof"…; NULL or unknown marks the name). */
void            cb_input_row_show_error         (CbInputRow          *self,
                                                 const char          *field,
                                                 const char          *message);
gboolean        cb_input_row_has_error          (CbInputRow          *self);
/* Shows what the budget derived for this input (the mean and degrees of
 * freedom of readings, the standard uncertainty); NULL clears it. */
void            cb_input_row_show_computed      (CbInputRow          *self,
                                                 const CbInput       *input);
void            cb_input_row_add_to_size_groups (CbInputRow          *self,
                                                 GtkSizeGroup * const *groups);
void            cb_input_row_focus              (CbInputRow          *self);

G_END_DECLS
