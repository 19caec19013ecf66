/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cb-conformity.h"
#include "cb-template.h"

G_BEGIN_DECLS

/*
 * The record engine: a record made from a template (kept as it was, whatever
 * later versions say) holds what was entered and computes everything else.
 *
 * Cells are named by ids: a record-level value by its name ("range_max",
 * "mpe"), a point's value by "BLOCK/POINT/NAME" with POINT counted from 1
 * ("indication/3/error_up"), a repeat of a reading by
 * "BLOCK/POINT/NAME/REPEAT" ("dcv/2/r/7") when the reading has several.
 *
 * Entered numbers keep their digits as typed ("1.600" stays "1.600" for
 * rounding) and may carry the reading's unit ("1.600 MPa"); a wrong unit or
 * a bad number is kept, shown as an error in its cell, and stops only what
 * depends on it.  An edit recomputes only the cells that depend on it.
 * Computed values keep full precision for what depends on them; their text
 * is rounded by the column's rule (GB/T 8170, never in successive steps).
 */

#define CB_RECORD_ERROR (cb_record_error_quark ())

typedef enum
{
  CB_RECORD_ERROR_UNKNOWN_CELL,   /* no such cell: names the id */
  CB_RECORD_ERROR_INVALID,        /* a value refused outright (not a choice, bad JSON…) */
  CB_RECORD_ERROR_TEMPLATE,       /* data made for another template */
  CB_RECORD_ERROR_INCOMPLETE,     /* a reading or input still missing, or in error */
  CB_RECORD_ERROR_MISMATCH,       /* stored results differ from the recomputed ones */
} CbRecordError;

typedef enum
{
  CB_CELL_EMPTY,      /* nothing entered, or an input it needs is empty */
  CB_CELL_OK,
  CB_CELL_ERROR,      /* see message */
} CbCellState;

typedef enum
{
  CB_CELL_KIND_INPUT,     /* a parameter, a standard's attribute, the environment */
  CB_CELL_KIND_FIXED,     /* a point's nominal value or attribute */
  CB_CELL_KIND_ENTERED,   /* a reading */
  CB_CELL_KIND_COMPUTED,
} CbCellKind;

typedef struct
{
  CbCellState  state;
  CbCellKind   kind;
  double       value;
  const char  *text;      /* as typed, or rounded for display; NULL when empty */
  const char  *message;   /* the cause, for an error */
  const char  *unit;
  const char  *label;
} CbCell;

typedef enum
{
  CB_CONCLUSION_INCOMPLETE,
  CB_CONCLUSION_PASS,
  CB_CONCLUSION_FAIL,
  CB_CONCLUSION_UNDETERMINED,
} CbConclusion;

typedef struct _CbRecord CbRecord;

GQuark        cb_record_error_quark        (void);

/* A new record with the template's default inputs and points. */
CbRecord     *cb_record_new                (CbTemplate        *tmpl);
/* A record from its stored data (cb_record_to_json()); refuses data made
 * with another template, naming both digests. */
CbRecord     *cb_record_new_from_json      (CbTemplate        *tmpl,
                                            JsonNode          *data,
                                            GError           **error);
void          cb_record_free               (CbRecord          *record);
CbTemplate   *cb_record_get_template       (CbRecord          *record);

/* Header fields (customer, serial…): text bound from the order and sample. */
gboolean      cb_record_set_header         (CbRecord          *record,
                                            const char        *name,
                                            const char        *text,
                                            GError           **error);
const char   *cb_record_get_header         (CbRecord          *record,
                                            const char        *name);

/* Sets an entered cell: an input or a reading (NULL or "" clears it).
 * FALSE only when the id names no such cell, or a parameter's value is not
 * one of its choices; a bad number is kept and shown in the cell. */
gboolean      cb_record_set_value          (CbRecord          *record,
                                            const char        *cell,
                                            const char        *text,
                                            GError           **error);
/* Replaces a block's points: an array of objects {"nominal": "10", ATTRIBUTE:
 * "…"}; readings keep their place by index. */
gboolean      cb_record_set_points         (CbRecord          *record,
                                            const char        *block,
                                            JsonArray         *points,
                                            GError           **error);
guint         cb_record_get_n_points       (CbRecord          *record,
                                            guint              block);
/* Any cell by id; the strings stay valid until the next change. */
gboolean      cb_record_get_cell           (CbRecord          *record,
                                            const char        *cell,
                                            CbCell            *out,
                                            GError           **error);
/* A point's check (@point from 1), or a record-level one with @block NULL.
 * FALSE while it cannot be decided (something missing or in error). */
gboolean      cb_record_get_check          (CbRecord          *record,
                                            const char        *block,
                                            guint              point,
                                            const char        *check,
                                            CbDecisionResult  *result);

/* Whether every check of a point (@point from 1) passes; FALSE when one fails
 * (or conditionally fails).  @decided is FALSE while a check cannot be
 * decided yet. */
gboolean      cb_record_point_passes       (CbRecord          *record,
                                            guint              block,
                                            guint              point,
                                            gboolean          *decided);
/* One component of a point's uncertainty budget. */
typedef struct
{
  const char *name;
  const char *label;
  double      contribution;  /* |c|·u in the budget's unit; NAN until computed */
  double      dof;           /* INFINITY when the template gives none */
  double      share;         /* of the combined variance, 0 … 1; NAN until computed */
} CbBudgetLine;

typedef struct
{
  const char   *unit;
  guint         n_lines;
  CbBudgetLine *lines;
  double        combined;       /* NAN until computed */
  double        effective_dof;  /* Welch–Satterthwaite; INFINITY when every dof is */
  double        k;
  double        expanded;
  const char   *expanded_text;  /* as rounded, or NULL */
  const char   *expanded_name;  /* the block's column of U */
} CbPointBudget;

/* The uncertainty budget of a point (@point from 1) as computed now; NULL
 * when its block has no uncertainty.  Strings belong to the record. */
CbPointBudget *cb_record_get_point_budget  (CbRecord          *record,
                                            guint              block,
                                            guint              point);
void          cb_point_budget_free         (CbPointBudget     *budget);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPointBudget, cb_point_budget_free)

CbConclusion  cb_record_get_conclusion     (CbRecord          *record,
                                            const char       **text);
/* Environment out of its limits and the like, for the operator. */
const char * const *cb_record_get_warnings (CbRecord          *record);
/* TRUE when every reading and input is there without error, no blocking
 * limit is broken and the conclusion is decided; else names the first
 * cell that is not. */
gboolean      cb_record_is_complete        (CbRecord          *record,
                                            GError           **error);
/* How many cells the last change recomputed. */
guint         cb_record_get_last_recomputed (CbRecord         *record);

/* What was entered: header, inputs, overridden points and readings. */
JsonNode     *cb_record_to_json            (CbRecord          *record);
/* Every computed cell, check and the conclusion. */
JsonNode     *cb_record_results_to_json    (CbRecord          *record);
/* Compares stored results with a recomputation; a difference is an error
 * naming the first cell that differs and both values. */
gboolean      cb_record_verify_results     (CbRecord          *record,
                                            JsonNode          *stored,
                                            GError           **error);
const char   *cb_conclusion_to_string      (CbConclusion       conclusion);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRecord, cb_record_free)

G_END_DECLS
